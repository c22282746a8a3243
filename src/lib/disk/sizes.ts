import { lstatSync, opendirSync, type Dir } from 'node:fs';
import { join } from 'node:path';
import type { DirSize } from '../decide/signals/disk.js';

/** At most this many entries are visited in all, whatever the trees hold. */
export const MAX_ENTRIES = 20_000;
/** At most this long is spent on the walk in all (a slow or huge disk, exactly when it is low). */
export const MAX_WALK_MS = 2_000;
/** How many dirs an alert names. */
export const TOP = 5;

/** The walk's budget: entries left, and the time (on `clock`) by which it stops. */
export interface WalkBudget {
  entries: number;
  deadline: number;
  clock: () => number;
}

/**
 * The entries of one directory, read as a stream (opendir: one small buffer at a time, never the
 * whole listing), until `visit` says stop. False when it cannot be opened.
 */
function eachEntry(dir: string, visit: (name: string, kind: 'dir' | 'file' | 'other') => boolean) {
  let d: Dir;
  try {
    d = opendirSync(dir, { bufferSize: 64 });
  } catch {
    return;
  }
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) {
      const kind = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other';
      if (!visit(e.name, kind)) return;
    }
  } catch {
    // gone or unreadable while listed: what was counted stands
  } finally {
    d.closeSync();
  }
}

/**
 * Bytes under `root` (files only, symlinks not followed), streaming each directory and visiting
 * at most `budget` entries (a number, or entries and a deadline); `truncated` when it stopped early.
 */
export function dirSize(root: string, budget: number | WalkBudget): DirSize {
  const b: WalkBudget =
    typeof budget === 'number'
      ? { entries: budget, deadline: Infinity, clock: Date.now }
      : { ...budget };
  let bytes = 0;
  let truncated = false;
  const stack = [root];
  while (stack.length && !truncated) {
    const dir = stack.pop()!;
    eachEntry(dir, (name, kind) => {
      if (b.entries-- <= 0 || b.clock() > b.deadline) {
        truncated = true;
        return false;
      }
      const p = join(dir, name);
      if (kind === 'dir') stack.push(p);
      else if (kind === 'file') {
        try {
          bytes += lstatSync(p).size;
        } catch {
          // gone since the listing
        }
      }
      return true;
    });
  }
  return { path: root, bytes, truncated };
}

/**
 * The largest of the gateway's own dirs: each direct subdir of the state dir (logs, agents and
 * their sessions, …) and OpenClaw's log dir, each with an equal share of MAX_ENTRIES and of
 * MAX_WALK_MS. Run only when a disk_low alert is due, never on every check.
 */
export function largestDirs(
  stateDir: string,
  logDir: string,
  maxEntries = MAX_ENTRIES,
  maxMs = MAX_WALK_MS,
  clock: () => number = Date.now,
): DirSize[] {
  const start = clock();
  const roots: string[] = [];
  // The state dir's own listing streams too, within the same budget (a hostile one is huge).
  eachEntry(stateDir, (name, kind) => {
    if (kind === 'dir') roots.push(join(stateDir, name));
    return roots.length < maxEntries && clock() - start <= maxMs;
  });
  if (!roots.includes(logDir) && !logDir.startsWith(`${stateDir}/`)) roots.push(logDir);
  if (!roots.length) return [];
  const share = Math.max(1, Math.floor(maxEntries / roots.length));
  const shareMs = maxMs / roots.length;
  return roots
    .map((r, i) => dirSize(r, { entries: share, deadline: start + shareMs * (i + 1), clock }))
    .filter((d) => d.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP);
}
