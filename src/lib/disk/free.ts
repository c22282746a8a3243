import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FsFree } from '../decide/signals/disk.js';

/** statfs f_type of a tmpfs (linux/magic.h). */
export const TMPFS_MAGIC = 0x01021994;

/** The dir, or its nearest existing ancestor (the filesystem that will hold it). */
function existing(dir: string): string {
  let d = dir;
  for (;;) {
    try {
      statSync(d);
      return d;
    } catch {
      const up = dirname(d);
      if (up === d) return d;
      d = up;
    }
  }
}

/**
 * Free and total space (for an unprivileged user: statfs bavail) of the filesystems holding
 * `dirs`, one entry per filesystem (by device id). A dir that cannot be statted is left out.
 */
export function filesystemsOf(dirs: string[]): FsFree[] {
  const byDev = new Map<number, FsFree>();
  for (const dir of dirs) {
    try {
      const at = existing(dir);
      const dev = statSync(at).dev;
      const seen = byDev.get(dev);
      if (seen) {
        if (!seen.paths.includes(dir)) seen.paths.push(dir);
        continue;
      }
      const s = statfsSync(at);
      byDev.set(dev, {
        paths: [dir],
        dev,
        tmpfs: s.type === TMPFS_MAGIC,
        freeBytes: s.bavail * s.bsize,
        totalBytes: s.blocks * s.bsize,
      });
    } catch {
      // unreadable: nothing to say about it
    }
  }
  return [...byDev.values()];
}
