import { gatewayLockPath, readGatewayLock } from '../procs/gateway-lock.js';
import { join } from 'node:path';
import { attributorFor, goneOrExiting } from '../procs/facts.js';
import { readProc } from '../procs/table.js';

/**
 * The port this state dir's gateway lock names (`<state dir>/tmp/openclaw-<uid>/
 * gateway.state.lock`, written by every gateway at start, removed by a clean stop, left by a
 * crash), for a gateway started with `--port` only (no gateway.port in openclaw.json): the zero
 * configuration's port when nothing else sets one. `live`: the lock names a live process of this
 * user with the lock's start time that is not provably another state dir's or port's gateway (a
lock copied or symlinked from another state dir; validated as observe.ts validates it); otherwise it was left by
 * a crash and names the port this state dir's gateway last ran on. Null: no lock (never started,
 * or stopped cleanly), unreadable, or no port in it.
 */
export function lockPort(
  stateDir: string,
  who: { profile?: string | null; configPath?: string } = {},
): { port: number; live: boolean } | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const lock = readGatewayLock(gatewayLockPath(stateDir, uid));
  if (!lock || lock.port === null || !Number.isInteger(lock.port)) return null;
  if (lock.port < 1 || lock.port > 65535) return null;
  const port = lock.port;
  // `live` is worked out only when read: attribution reads the kernel's TCP tables (≈ 4 ms of CPU
  // each), and loading the config (every check, where the port comes from here) needs the port only.
  return {
    port,
    get live() {
      const proc = readProc(lock.pid);
      return (
        proc !== null &&
        lock.startTime !== null &&
        proc.startTicks === lock.startTime &&
        proc.uid === uid &&
        !goneOrExiting(lock.pid, lock.startTime) &&
        attributorFor({
          port,
          stateDir,
          profile: who.profile ?? null,
          configPath: who.configPath ?? join(stateDir, 'openclaw.json'),
        }).whose(lock.pid) !== 'other'
      );
    },
  };
}
