import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Proc } from '../procs/proc-stat.js';
import type { GatewayIdentity } from '../procs/attribute.js';
import { attributePid } from '../procs/facts.js';
import { stopTrees, type StopResult } from '../procs/kill.js';
import { listeningInodes } from '../procs/port-owner.js';
import { ancestry } from '../procs/tree.js';
import { classifyOrphans, unitFromCgroup, type Orphan } from './classify.js';

const TCP_TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/** Listening socket links (`socket:[inode]`) in one /proc/net table; none when it is missing. */
function readListening(table: string): Set<string> {
  try {
    return new Set(listeningInodes(readFileSync(table, 'utf8')).map((i) => `socket:[${i}]`));
  } catch {
    return new Set(); // no IPv6, or no /proc
  }
}

/**
 * Does a pid hold a listening TCP socket? Its own socket fds first; then /proc/net/tcp, and tcp6
 * only if tcp does not answer: each table read walks the kernel's whole socket hash (≈ 4 ms here),
 * and a healthy check asks this of the live gateway every run. Each table is read once per check.
 */
export function holdsPortFn(readTable = readListening): (pid: number) => boolean {
  const tables = new Map<string, Set<string>>();
  const listening = (table: string) => {
    let set = tables.get(table);
    if (!set) tables.set(table, (set = readTable(table)));
    return set;
  };
  return (pid) => {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      return true; // cannot tell: assume it does, and leave it alone
    }
    const sockets: string[] = [];
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link.startsWith('socket:[')) sockets.push(link);
      } catch {
        // fd closed meanwhile
      }
    }
    if (sockets.length === 0) return false;
    return TCP_TABLES.some((table) => sockets.some((s) => listening(table).has(s)));
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
  identity: GatewayIdentity;
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
    attribution: (pid) => attributePid(pid, options.identity),
  });
}

/**
 * SIGTERM each orphan's tree, SIGKILL survivors after `killTimeoutMs`, verify; identity-checked.
 * No tree that holds a live gateway (or is its launcher) is signalled.
 */
export function reapOrphans(
  orphans: Orphan[],
  livePids: number[],
  killTimeoutMs: number,
): Promise<StopResult> {
  return stopTrees(
    orphans.map((o) => ({ pid: o.pid, startTicks: o.startTicks })),
    killTimeoutMs,
    { protect: livePids },
  );
}
