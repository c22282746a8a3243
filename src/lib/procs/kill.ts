import { createRequire } from 'node:module';
import type { Proc } from './proc-stat.js';
import { isSameProcess, listProcesses, readProc } from './table.js';
import { ancestry, descendants } from './tree.js';

const require = createRequire(import.meta.url);
type TreeKill = (pid: number, signal: string, callback: (error?: Error) => void) => void;

export interface Target {
  pid: number;
  startTicks: number | null;
}

export interface StopResult {
  /** Every pid that was signalled and is gone now (zombies count as gone). */
  stopped: number[];
  /** Pids that needed SIGKILL. */
  killed: number[];
  /** Pids still alive after SIGKILL (should be empty). */
  survivors: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a signal only if pid is still the process we identified, and never to ourselves or an ancestor. */
export function signalIfSame(
  target: Target,
  signal: NodeJS.Signals,
  protect: Set<number>,
): boolean {
  if (protect.has(target.pid) || !isSameProcess(target.pid, target.startTicks)) return false;
  try {
    process.kill(target.pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(targets: Target[], timeoutMs: number): Promise<Target[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = targets.filter((t) => isSameProcess(t.pid, t.startTicks));
  while (alive.length && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter((t) => isSameProcess(t.pid, t.startTicks));
  }
  return alive;
}

/**
 * Stops process trees: identity check, SIGTERM to each root's tree (tree-kill), wait up to
 * `termTimeoutMs`, then SIGKILL every survivor (identity-checked, works on SIGSTOPped processes),
 * then verify. Descendants are taken from the table before the first signal, so children that
 * outlive their parent (and are reparented) are still ours to stop.
 */
export async function stopTrees(
  roots: Target[],
  termTimeoutMs: number,
  table?: Proc[],
): Promise<StopResult> {
  const snapshot = table ?? (await listProcesses());
  const protect = ancestry(process.pid, snapshot);
  const all = new Map<number, Target>();
  for (const root of roots) {
    const proc = readProc(root.pid);
    if (!proc || protect.has(root.pid)) continue;
    if (root.startTicks !== null && proc.startTicks !== root.startTicks) continue; // pid reused
    all.set(root.pid, { pid: root.pid, startTicks: proc.startTicks });
    for (const d of descendants(root.pid, snapshot))
      all.set(d.pid, { pid: d.pid, startTicks: d.startTicks });
  }
  const targets = [...all.values()].filter((t) => !protect.has(t.pid));
  const treeKill = require('tree-kill') as TreeKill;
  for (const root of roots) {
    const known = all.get(root.pid);
    if (!known || !isSameProcess(known.pid, known.startTicks)) continue;
    await new Promise<void>((resolve) => treeKill(known.pid, 'SIGTERM', () => resolve()));
  }
  // Descendants tree-kill could no longer reach (already reparented) get their SIGTERM directly.
  const rootPids = new Set(roots.map((r) => r.pid));
  for (const t of targets) if (!rootPids.has(t.pid)) signalIfSame(t, 'SIGTERM', protect);
  let alive = await waitGone(targets, termTimeoutMs);
  const killed: number[] = [];
  for (const t of alive) if (signalIfSame(t, 'SIGKILL', protect)) killed.push(t.pid);
  alive = await waitGone(alive, 5000);
  const survivors = new Set(alive.map((t) => t.pid));
  return {
    stopped: targets.map((t) => t.pid).filter((p) => !survivors.has(p)),
    killed,
    survivors: [...survivors],
  };
}
