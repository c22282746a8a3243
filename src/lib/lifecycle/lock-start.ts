import { lstatSync } from 'node:fs';
import { readRegular } from '../store/regular-file.js';
import { gatewayLockPath } from '../procs/gateway-lock.js';

/**
 * When the gateway that wrote `<stateDir>/tmp/openclaw-<uid>/gateway.state.lock` started: its
 * `createdAt`, else the file's mtime. The gateway removes the lock on a clean stop and leaves it
 * after a crash (§5), so a lock newer than the user's stop proves a start since. Only a regular
 * file of this user, never through a symlink; anything else: null.
 */
export function lockStartedAt(stateDir: string, uid: number | null): number | null {
  if (uid === null) return null;
  const file = gatewayLockPath(stateDir, uid);
  try {
    const st = lstatSync(file);
    if (!st.isFile() || st.uid !== uid) return null;
    let created: unknown;
    try {
      created = (JSON.parse(readRegular(file, 64 * 1024).trim()) as Record<string, unknown>)
        ?.createdAt;
    } catch {
      created = undefined; // torn or foreign content: the mtime still says when it was written
    }
    const at =
      typeof created === 'string'
        ? Date.parse(created)
        : typeof created === 'number'
          ? created
          : NaN;
    return Number.isFinite(at) ? at : st.mtimeMs;
  } catch {
    return null;
  }
}
