import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FAKE_GATEWAY = join(ROOT, 'test', 'fixtures', 'fake-gateway.mjs');
export const HELPER = join(ROOT, 'test', 'fixtures', 'helper.mjs');
export const CLI = join(ROOT, 'dist', 'cli.js');

const tracked = new Set<number>();

/** Remembers a pid so that `killTracked` ends it in teardown, whatever the test did. */
export function track(pid: number | undefined): number {
  if (pid === undefined) throw new Error('process did not start');
  tracked.add(pid);
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

/** SIGKILLs every tracked pid (and pids the caller names); a gone pid is fine. */
export function killTracked(extra: number[] = []): void {
  for (const pid of [...tracked, ...extra]) {
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
