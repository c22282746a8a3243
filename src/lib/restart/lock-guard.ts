import type { Config } from '../config/load.js';
import { gatewayLockPath, readGatewayLock } from '../procs/gateway-lock.js';
import { readProc } from '../procs/table.js';

/**
 * The process this state dir's gateway lock names, when it is alive (pid and start time match,
 * our uid) and is not `except`: a gateway (or OpenClaw's doctor) owns this state dir, so a gateway
 * started into it would exit 78 ("another OpenClaw process owns gateway-lifecycle"). Null when
 * the lock is absent, unreadable, stale (its process gone: a crash leaves it) or names `except`.
 */
export function liveLockHolder(
  config: Config,
  except: number | null,
): { error: string; fix: string } | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const file = gatewayLockPath(config.paths.stateDir, uid);
  const lock = readGatewayLock(file);
  if (!lock || lock.startTime === null || lock.pid === except) return null;
  const proc = readProc(lock.pid);
  if (!proc || proc.startTicks !== lock.startTime || proc.uid !== uid) return null;
  if (proc.state === 'Z' || proc.state === 'X') return null; // exited, not yet reaped
  const where = lock.port === null ? '' : ` on port ${lock.port}`;
  const mismatch = lock.port !== null && lock.port !== config.port;
  return {
    error: `the gateway lock of ${config.paths.stateDir} names live pid ${lock.pid} (${proc.title || proc.name})${where}; a second gateway in this state dir would exit 78`,
    fix: mismatch
      ? `this watchdog watches port ${config.port} (${config.portSource}); set gateway.port ${lock.port} in ${config.paths.watchdogConfig}, or stop pid ${lock.pid}`
      : `stop pid ${lock.pid} (openclaw gateway stop), or pause the watchdog while it runs`,
  };
}
