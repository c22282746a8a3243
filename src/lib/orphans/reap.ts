import { readFileSync } from 'node:fs';
import type { Proc } from '../procs/proc-stat.js';
import type { GatewayIdentity } from '../procs/attribute.js';
import { attributorFor } from '../procs/facts.js';
import { stopTrees, type StopResult } from '../procs/kill.js';
import { holdsPortFn } from '../procs/port-owner.js';
import { ancestry } from '../procs/tree.js';
import { classifyOrphans, unitFromCgroup, type Orphan } from './classify.js';

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
    attribution: attributorFor(options.identity).whose,
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
