import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { errorCode } from '../errors.js';

/** A held check lock: `stillOwner()` right before every kill or spawn; `release()` at the end. */
export interface CheckLock {
  /** False once the lock was compromised: taken over, or we were stalled past lock.staleSec. */
  stillOwner(): boolean;
  release(): Promise<void>;
  /**
   * The check gives up the rest of its run (a signal): from now on `stillOwner()` is false (no
   * kill, spawn or record) and `release()` does nothing. Returns the release that still frees the
   * lock, while it is ours, for the one who abandoned it.
   */
  abandon(): () => Promise<void>;
}

const OWNER_PREFIX = 'check.lock.owner-';

/**
 * Takes `<watchdog dir>/check.lock` with proper-lockfile (an mkdir lock whose mtime the holder
 * refreshes; one not refreshed for `staleSec` was left by a killed or stalled check and is taken
 * over). Returns null at once when another live check holds it. Beside it, an empty file named by
 * a random token says who holds it: a stalled holder that resumes finds its token gone (or its own
 * lock stale) and acts no more. Before taking it, a plain file in its place, or a lock whose mtime
 * lies more than `staleSec` in the future (the clock stepped back), is moved aside. No fd is held;
 * the empty token file needs no data block (full disk).
 */
export async function acquireCheckLock(dir: string, staleSec: number): Promise<CheckLock | null> {
  const lockDir = join(dir, 'check.lock');
  const stale = staleSec * 1000;
  clearUnusable(lockDir, stale);
  const token = randomBytes(8).toString('hex');
  let lost = false;
  let unlock: () => Promise<void>;
  try {
    // The first argument is only proper-lockfile's key for this holder: one per acquisition.
    unlock = await lockfile.lock(join(dir, `check.${token}`), {
      lockfilePath: lockDir,
      realpath: false,
      retries: 0,
      stale,
      update: Math.max(1000, Math.floor(stale / 3)),
      onCompromised: () => {
        lost = true; // another check took it over, or we could not refresh it in time
      },
    });
  } catch (error) {
    if (errorCode(error) === 'ELOCKED') return null;
    throw error;
  }
  const ownerFile = join(dir, `${OWNER_PREFIX}${token}`);
  try {
    for (const name of readdirSync(dir))
      if (name.startsWith(OWNER_PREFIX)) rmSync(join(dir, name), { force: true });
    closeSync(openSync(ownerFile, 'wx', 0o600));
  } catch (error) {
    await unlock().catch(() => {});
    throw error;
  }
  const stillOwner = (): boolean => {
    if (lost) return false;
    try {
      lstatSync(ownerFile);
      // Not refreshed for `stale`: we were stalled, and another check may be taking it right now.
      if (Date.now() - lstatSync(lockDir).mtimeMs > stale) lost = true;
    } catch {
      lost = true;
    }
    return !lost;
  };
  const release = async (): Promise<void> => {
    if (!stillOwner()) return; // not ours any more: leave the new holder's lock alone
    rmSync(ownerFile, { force: true });
    await unlock().catch(() => {});
  };
  let abandoned = false;
  return {
    stillOwner: () => !abandoned && stillOwner(),
    release: async () => {
      if (!abandoned) await release();
    },
    abandon: () => {
      abandoned = true;
      return release;
    },
  };
}

/** A plain file where the lock directory belongs, or a lock dated in the future: moved aside. */
function clearUnusable(lockDir: string, stale: number): void {
  let unusable: boolean;
  try {
    const st = lstatSync(lockDir);
    unusable = !st.isDirectory() || st.mtimeMs - Date.now() > stale;
  } catch {
    return; // no lock: nothing to clear
  }
  if (!unusable) return;
  // A rename is atomic: two checks cannot both remove a lock that a third just took.
  const aside = `${lockDir}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockDir, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}
