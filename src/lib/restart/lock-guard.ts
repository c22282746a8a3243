import type { Config } from '../config/load.js';
import { gatewayLockPath, readGatewayLock } from '../procs/gateway-lock.js';
import { attributorFor, goneOrExiting, identityOf } from '../procs/facts.js';
import { readProc } from '../procs/table.js';

/**
 * The process this state dir's gateway lock names, when it is alive (pid and start time match,
 * our uid) and is not `except`: a gateway (or OpenClaw's doctor) owns this state dir, so a gateway
 * started into it would exit 78 ("another OpenClaw process owns gateway-lifecycle"). Null when
 * the lock is absent, unreadable, stale (its process gone or exiting: a crash leaves it), names
 * `except`, or names a process provably of another state dir.
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
  // A crashed or killed gateway stays R/D for seconds while its memory is torn down: gone.
  if (goneOrExiting(lock.pid, lock.startTime)) return null;
  // A lock that names a process provably of another state dir (its database, its environment)
  // is not this state dir's owner: a copied or forged file. Ours or unknown: it owns it.
  const me = { ...identityOf(config), port: lock.port ?? config.port };
  if (attributorFor(me).whose(lock.pid) === 'other') return null;
  // Doctor (or another OpenClaw job) at work: not a gateway, never one to stop by hand.
  if (lock.role)
    return {
      error: `OpenClaw holds the state lock of ${config.paths.stateDir} as ${lock.role} (pid ${lock.pid}, ${proc.title || proc.name}); a gateway started now would exit 78`,
      fix: 'let it finish: see what holds the state lock (`openclaw gateway status --deep`); doctor releases it when its SQLite work ends',
    };
  const where = lock.port === null ? '' : ` on port ${lock.port}`;
  const mismatch = lock.port !== null && lock.port !== config.port;
  return {
    error: `the gateway lock of ${config.paths.stateDir} names live pid ${lock.pid} (${proc.title || proc.name})${where}; a second gateway in this state dir would exit 78`,
    fix: mismatch
      ? `this watchdog watches port ${config.port} (${config.portSource}); set gateway.port ${lock.port} in ${config.paths.watchdogConfig}, or stop pid ${lock.pid}`
      : `stop pid ${lock.pid} (openclaw gateway stop), or pause the watchdog while it runs`,
  };
}
