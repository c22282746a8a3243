import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export type Release = () => Promise<void>;

/**
 * Takes `<watchdog dir>/check.lock` (proper-lockfile: an mkdir lock whose mtime the holder
 * refreshes). Returns null at once when another live check holds it; a lock left by a killed
 * check goes stale after `staleSec` and is taken over. No fd is held, so nothing is inherited.
 */
export async function acquireCheckLock(dir: string, staleSec: number): Promise<Release | null> {
  const stale = staleSec * 1000;
  try {
    return await lockfile.lock(dir, {
      lockfilePath: join(dir, 'check.lock'),
      realpath: false,
      retries: 0,
      stale,
      update: Math.max(1000, Math.floor(stale / 3)),
      onCompromised: () => {
        // Another check took the lock over (we were stalled past `stale`): finish quietly.
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw error;
  }
}
