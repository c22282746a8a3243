import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The names createTempFile (atomic.ts) gives: `<file>.<16 hex digits>.tmp`. */
const TEMP_NAME = /^.+\.[0-9a-f]{16}\.tmp$/;
/** The part createTempFile adds to the file's name (its length: a temp file's own file). */
const SUFFIX = '.0123456789abcdef.tmp';
/** Untouched this long, no writer is still at it (a write takes milliseconds). */
export const LEFTOVER_AGE_MS = 10 * 60 * 1000;

/**
 * Removes the temp files that a process killed mid-write (SIGKILL, the OOM killer, a power cut)
 * left behind in the watchdog's own dir: only names createTempFile gives, only regular files of
 * this uid (lstat: a symlink, FIFO or dir of that name stays), untouched for LEFTOVER_AGE_MS.
 * Without it each such kill leaves one more file there for good. Best effort: a file that cannot
 * be read or removed stays. `of`: only the temp files of that one file (a shared directory, such
 * as node_exporter's textfile directory, holds other writers' files). Returns how many went.
 */
export function removeLeftoverTemps(dir: string, now: number, of?: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!TEMP_NAME.test(name) || (of !== undefined && name.slice(0, -SUFFIX.length) !== of))
      continue;
    const path = join(dir, name);
    try {
      const st = lstatSync(path);
      if (!st.isFile() || st.uid !== process.getuid?.() || now - st.mtimeMs < LEFTOVER_AGE_MS)
        continue;
      rmSync(path);
      removed++;
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}
