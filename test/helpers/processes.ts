import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProc } from '../../src/lib/procs/table.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FAKE_GATEWAY = join(ROOT, 'test', 'fixtures', 'fake-gateway.mjs');
export const HELPER = join(ROOT, 'test', 'fixtures', 'helper.mjs');
export const CLI = join(ROOT, 'dist', 'cli.js');

/** Pids tests started, with their start time: pids wrap (pid_max 32768 on small hosts) and every
 * engineer runs as root, so a gone pid may name anyone's process by teardown. */
const tracked = new Map<number, number | null>();

/**
 * Every process a test starts carries this mark in its environment (spawn inherits process.env),
 * and so do the gateways and helpers those processes start in turn: teardown finds them all by
 * pid, even the ones that were reparented to init.
 */
export const MARK = (process.env.OCWD_TEST_MARK ??= randomUUID());

/** Pids of live processes whose environment holds this test run's mark. */
export function markedPids(): number[] {
  const needle = `OCWD_TEST_MARK=${MARK}`;
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle))
        out.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

/** Remembers a pid so that `killTracked` ends it in teardown, whatever the test did. */
export function track(pid: number | undefined): number {
  if (pid === undefined) throw new Error('process did not start');
  tracked.set(pid, readProc(pid)?.startTicks ?? null);
  return pid;
}

/** Spawns a process (argv, never a shell) and tracks its pid. */
export function start(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  track(child.pid);
  child.on('error', () => {});
  return child;
}

export function startFakeGateway(args: string[], options: SpawnOptions = {}): ChildProcess {
  return start(process.execPath, [FAKE_GATEWAY, ...args], options);
}

/** SIGKILLs every tracked pid still the process it started (start time), every marked pid, and
 * pids the caller names; a gone pid is fine. */
export function killTracked(extra: number[] = []): void {
  const same = [...tracked].filter(([pid, t]) => t !== null && readProc(pid)?.startTicks === t);
  for (const pid of new Set([...same.map(([pid]) => pid), ...extra, ...markedPids()])) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  tracked.clear();
}

/** Alive and not a zombie. PID 1 here reaps slowly, so a killed process may linger as `Z`. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Polls `predicate` every `intervalMs` until it holds or `timeoutMs` passes; bounded, never a fixed sleep. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const ORPHAN_MAKER = join(ROOT, 'test', 'fixtures', 'orphan-maker.mjs');

/** Leaves orphans (adopted by init) and returns their pids, tracked for teardown. */
export async function makeOrphans(args: string[], options: SpawnOptions = {}): Promise<number[]> {
  const child = spawn(process.execPath, [ORPHAN_MAKER, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    ...options,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  const pids = JSON.parse(out) as number[];
  for (const pid of pids) track(pid);
  return pids;
}

/**
 * Starts a process that gets exactly `pid`, through /proc/sys/kernel/ns_last_pid (root only):
 * a real pid reuse. Waits until the old process is reaped (a zombie still holds its pid); other
 * processes may fork in between: retried, null when it never lands.
 */
export async function startAtPid(
  pid: number,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<ChildProcess | null> {
  await waitFor(() => !existsSync(`/proc/${pid}`), { what: `pid ${pid} reaped` });
  for (let attempt = 0; attempt < 50; attempt++) {
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    const child = start(command, args, options);
    if (child.pid === pid) return child;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve)); // reaped: its pid is free again
  }
  return null;
}
