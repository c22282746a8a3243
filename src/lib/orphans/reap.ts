import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Proc } from '../procs/proc-stat.js';
import { stopTrees, type StopResult } from '../procs/kill.js';
import { ancestry } from '../procs/tree.js';
import { classifyOrphans, unitFromCgroup, type Orphan } from './classify.js';

/** Every listening TCP socket inode on the machine (any port). */
function allListeningInodes(): Set<string> {
  const out = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[9]) out.add(`socket:[${cols[9]}]`);
    }
  }
  return out;
}

function holdsPortFn(): (pid: number) => boolean {
  let inodes: Set<string> | null = null;
  return (pid) => {
    inodes ??= allListeningInodes();
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      return true; // cannot tell: assume it does, and leave it alone
    }
    return fds.some((fd) => {
      try {
        return inodes!.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
  };
}

function unitOf(pid: number): string | null {
  try {
    return unitFromCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
  } catch {
    return null;
  }
}

export interface FindOptions {
  patterns: string[];
  livePids: number[];
  minAgeSec: number | null;
  graceSec: number;
}

/** Finds the orphans in a process table (Linux adapters for the pure classifier). */
export function findOrphans(table: Proc[], options: FindOptions): Orphan[] {
  return classifyOrphans(table, {
    uid: process.getuid?.() ?? null,
    patterns: options.patterns,
    livePids: new Set(options.livePids),
    protectedPids: ancestry(process.pid, table),
    minAgeSec: options.minAgeSec,
    graceSec: options.graceSec,
    holdsPort: holdsPortFn(),
    unitOf,
  });
}

/** SIGTERM each orphan's tree, SIGKILL survivors after `killTimeoutMs`, verify; identity-checked. */
export function reapOrphans(
  orphans: Orphan[],
  table: Proc[],
  killTimeoutMs: number,
): Promise<StopResult> {
  return stopTrees(
    orphans.map((o) => ({ pid: o.pid, startTicks: o.startTicks })),
    killTimeoutMs,
    table,
  );
}
