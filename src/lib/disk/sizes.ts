import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DirSize } from '../decide/signals/disk.js';

/** At most this many entries are visited in all, whatever the trees hold. */
export const MAX_ENTRIES = 20_000;
/** How many dirs an alert names. */
export const TOP = 5;

/** Bytes under `root` (files only, symlinks not followed), visiting at most `budget` entries. */
export function dirSize(root: string, budget: number): DirSize {
  let bytes = 0;
  let visited = 0;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (++visited > budget) return { path: root, bytes, truncated: true };
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) {
        try {
          bytes += lstatSync(p).size;
        } catch {
          // gone since the listing
        }
      }
    }
  }
  return { path: root, bytes, truncated: false };
}

/**
 * The largest of the gateway's own dirs: each direct subdir of the state dir (logs, agents and
 * their sessions, …) and OpenClaw's log dir, each with an equal share of MAX_ENTRIES. Run only
 * when a disk_low alert is due, never on every check.
 */
export function largestDirs(stateDir: string, logDir: string, maxEntries = MAX_ENTRIES): DirSize[] {
  let roots: string[] = [];
  try {
    roots = readdirSync(stateDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(stateDir, e.name));
  } catch {
    // no state dir yet
  }
  if (!roots.includes(logDir) && !logDir.startsWith(`${stateDir}/`)) roots.push(logDir);
  if (!roots.length) return [];
  const share = Math.max(1, Math.floor(maxEntries / roots.length));
  return roots
    .map((r) => dirSize(r, share))
    .filter((d) => d.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP);
}
