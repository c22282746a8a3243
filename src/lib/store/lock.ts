import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** A held check lock: `stillOwner()` right before every kill or spawn; `release()` at the end. */
export interface CheckLock {
  /** False once another check took the lock over (we were stalled past lock.staleSec). */
  stillOwner(): boolean;
  release(): Promise<void>;
}

/**
 * Takes `<watchdog dir>/check.lock`: a directory (mkdir is atomic) holding an empty file named by
 * a random token, whose mtime the holder refreshes every staleSec / 3. Returns null at once when
 * another live check holds it. A lock not refreshed for `staleSec` (a killed or stalled check), or
 * whose mtime lies more than `staleSec` in the future (the clock stepped back), is taken over; so
 * is a plain file in its place. The stalled holder then finds its token gone and acts no more.
 * No fd is held, so nothing is inherited; the empty token file needs no data block (full disk).
 */
export async function acquireCheckLock(dir: string, staleSec: number): Promise<CheckLock | null> {
  const lockDir = join(dir, 'check.lock');
  const token = join(lockDir, `owner-${process.pid}-${randomBytes(6).toString('hex')}`);
  const stale = staleSec * 1000;
  if (!take(lockDir, stale)) return null;
  try {
    closeSync(openSync(token, 'wx', 0o600));
  } catch (error) {
    rmSync(lockDir, { recursive: true, force: true });
    throw error;
  }
  let owner = true;
  const stillOwner = (): boolean => {
    if (!owner) return false;
    try {
      lstatSync(token);
      const now = new Date();
      utimesSync(lockDir, now, now);
      return true;
    } catch {
      owner = false;
      return false;
    }
  };
  const timer = setInterval(stillOwner, Math.max(250, Math.floor(stale / 3)));
  timer.unref();
  return {
    stillOwner,
    release: async () => {
      clearInterval(timer);
      if (stillOwner()) rmSync(lockDir, { recursive: true, force: true });
    },
  };
}

/** One attempt at the lock; takes over a stale one (or a plain file in its place) once. */
function take(lockDir: string, stale: number): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lockDir, { mode: 0o700 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let isStale: boolean;
    try {
      const st = lstatSync(lockDir);
      const age = Date.now() - st.mtimeMs;
      isStale = !st.isDirectory() || age > stale || age < -stale;
    } catch {
      continue; // released meanwhile: try again
    }
    if (!isStale) return false;
    // Move it aside first: a rename is atomic, so two checks cannot both remove a fresh lock.
    const aside = `${lockDir}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(lockDir, aside);
    } catch {
      continue;
    }
    rmSync(aside, { recursive: true, force: true });
  }
  return false;
}
