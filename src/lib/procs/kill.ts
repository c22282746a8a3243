import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { readProc, listProcesses } from './table.js';
import { ancestry, descendants } from './tree.js';

const require = createRequire(import.meta.url);
type TreeKill = (pid: number, signal: string, callback: (error?: Error) => void) => void;

export interface Target {
  pid: number;
  /** Start time in clock ticks: a target without one is never signalled. */
  startTicks: number | null;
}

export interface StopResult {
  /** Every pid that was signalled and is gone now (zombies count as gone). */
  stopped: number[];
  /** Pids that needed SIGKILL. */
  killed: number[];
  /** Pids still alive after SIGKILL (should be empty). */
  survivors: number[];
  /** Roots left running on purpose after their SIGTERM (`hold` said `leave`: they still answer
   * past their own shutdown budget); nothing of their trees was signalled further. */
  left?: number[];
}

/** One look at roots still alive after their SIGTERM (decide/openclaw/clean-stop.ts). */
export type Hold = (sinceTermMs: number) => Promise<'wait' | 'kill' | 'leave'>;

const myUid = () => process.getuid?.() ?? null;

/** Still the process we identified: same start time, same user as us, not a zombie. */
function isTarget(target: Target): boolean {
  if (target.startTicks === null) return false;
  const proc = readProc(target.pid);
  if (!proc || proc.startTicks !== target.startTicks) return false;
  const uid = myUid();
  return uid === null || proc.uid === uid;
}

/**
 * Sends a signal only if pid is still the process we identified (start time and uid checked just
 * before), and never to a protected pid. An error (EPERM, ESRCH) is an answer, not a crash.
 */
export function signalIfSame(
  target: Target,
  signal: NodeJS.Signals,
  protect: Set<number>,
): boolean {
  if (protect.has(target.pid) || !isTarget(target)) return false;
  try {
    process.kill(target.pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(targets: Target[], timeoutMs: number): Promise<Target[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = targets.filter(isTarget);
  while (alive.length && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter(isTarget);
  }
  return alive;
}

/** Waits (bounded) until each pid has at most its zombie leader left in /proc/<pid>/task. */
async function waitThreadsGone(targets: Target[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const busy = (t: Target) => {
    try {
      return readdirSync(`/proc/${t.pid}/task`).length > 1 && !isTarget(t);
    } catch {
      return false;
    }
  };
  while (targets.some(busy) && Date.now() < deadline) await sleep(20);
}

export interface StopOptions {
  /**
   * Pids whose trees are never signalled: no root that is one of them, holds one in its tree, or
   * is one's ancestor (a launcher) is stopped. The live gateway when reaping orphans; gateways
   * that cannot be attributed when stopping ours. This process and its ancestors always are.
   */
  protect?: Iterable<number>;
  /**
   * SIGTERM the roots alone first and give them `termTimeoutMs` to drain and close their own
   * helpers (a graceful restart: the gateway closes its MCP servers itself); then SIGTERM what is
   * left of their trees, wait `treeTimeoutMs`, SIGKILL.
   */
  rootsFirst?: {
    treeTimeoutMs: number;
    /** Asked about the roots still alive after their SIGTERM, between polls, instead of a fixed
     * `termTimeoutMs`: a gateway that still answers is waited for, never SIGKILLed. */
    hold?: Hold;
    pollMs?: number;
  };
}

/**
 * Stops process trees: SIGTERM to each root and its descendants, wait up to `termTimeoutMs`,
 * SIGKILL every survivor (works on SIGSTOPped processes), then verify. On Linux the trees come from
 * our own /proc walk and every signal goes only to a pid whose uid and start time were checked
 * just before; elsewhere (no /proc) tree-kill signals the roots' trees.
 */
export async function stopTrees(
  roots: Target[],
  termTimeoutMs: number,
  options: StopOptions = {},
): Promise<StopResult> {
  const table = await listProcesses();
  const shielded = ancestry(process.pid, table);
  for (const pid of options.protect ?? []) for (const a of ancestry(pid, table)) shielded.add(a);
  const all = new Map<number, Target>();
  const rootTargets: Target[] = [];
  for (const root of roots) {
    if (!isTarget(root)) continue; // gone, pid reused, another user's, or no start time
    const tree = [root, ...descendants(root.pid, table)];
    if (tree.some((p) => shielded.has(p.pid))) continue;
    rootTargets.push(root);
    for (const p of tree) all.set(p.pid, { pid: p.pid, startTicks: p.startTicks });
  }
  const targets = [...all.values()];
  if (process.platform !== 'linux') {
    const treeKill = require('tree-kill') as TreeKill;
    for (const root of rootTargets)
      await new Promise<void>((resolve) => treeKill(root.pid, 'SIGTERM', () => resolve()));
  }
  let alive: Target[];
  const rootsKilled: number[] = [];
  if (options.rootsFirst && process.platform === 'linux') {
    const { hold, pollMs = 1000 } = options.rootsFirst;
    for (const t of rootTargets) signalIfSame(t, 'SIGTERM', shielded);
    const held = hold
      ? await holdRoots(rootTargets, hold, pollMs)
      : (await waitGone(rootTargets, termTimeoutMs), 'kill');
    if (held === 'leave') {
      const left = rootTargets.filter(isTarget).map((t) => t.pid);
      return { stopped: [], killed: [], survivors: [], left };
    }
    for (const t of rootTargets.filter(isTarget))
      if (signalIfSame(t, 'SIGKILL', shielded)) rootsKilled.push(t.pid);
    if (rootsKilled.length) await waitGone(rootTargets, 5000);
    // A leader shows as a zombie while its other threads still exit; its children are handed to
    // those threads until the last one is gone: only then are they the tree left behind.
    await waitThreadsGone(rootTargets, options.rootsFirst.treeTimeoutMs);
    alive = targets.filter(isTarget);
    for (const t of alive) signalIfSame(t, 'SIGTERM', shielded);
    alive = await waitGone(alive, options.rootsFirst.treeTimeoutMs);
  } else {
    for (const t of targets) signalIfSame(t, 'SIGTERM', shielded);
    alive = await waitGone(targets, termTimeoutMs);
  }
  const killed: number[] = [];
  for (const t of alive) if (signalIfSame(t, 'SIGKILL', shielded)) killed.push(t.pid);
  killed.push(...rootsKilled);
  alive = await waitGone(alive, 5000);
  const survivors = new Set(alive.map((t) => t.pid));
  return {
    stopped: targets.map((t) => t.pid).filter((p) => !survivors.has(p)),
    killed,
    survivors: [...survivors],
  };
}

/** Polls roots after their SIGTERM: gone → `gone`; else what `hold` says each time. */
async function holdRoots(
  roots: Target[],
  hold: Hold,
  pollMs: number,
): Promise<'gone' | 'kill' | 'leave'> {
  const t0 = Date.now();
  for (;;) {
    if (!roots.some(isTarget)) return 'gone';
    const verdict = await hold(Date.now() - t0);
    if (verdict !== 'wait') return roots.some(isTarget) ? verdict : 'gone';
    const until = Date.now() + pollMs;
    while (Date.now() < until && roots.some(isTarget)) await sleep(Math.min(50, pollMs));
  }
}
