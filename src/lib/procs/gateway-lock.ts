import { join } from 'node:path';
import { readRegular } from '../store/regular-file.js';

export interface GatewayLock {
  pid: number;
  port: number | null;
  startTime: number | null;
  /** The gateway's own id for this run (a targeted gateway.restart.request names it). */
  ownerId?: string | null;
  /** Who holds OpenClaw's lifecycle lock when it is not a gateway: `sqlite-maintenance` (doctor),
   * `agent-embedded`, `skill-workshop-apply`; absent (null) for a gateway. */
  role?: string | null;
}

export function gatewayLockPath(stateDir: string, uid: number): string {
  return join(stateDir, 'tmp', `openclaw-${uid}`, 'gateway.state.lock');
}

/** The pid this state dir's lifecycle lock names, unvalidated (a gateway, or doctor at its SQLite
 * work): spared as an orphan by the check and by status alike; a forged one only spares. */
export function lockHolderPid(stateDir: string, uid: number): number | null {
  return readGatewayLock(gatewayLockPath(stateDir, uid))?.pid ?? null;
}

/** A lock is a few hundred bytes of JSON plus padding: anything longer is not a lock. */
const MAX_LOCK_BYTES = 64 * 1024;

/**
 * The gateway's own lock (JSON plus padding): names the live gateway's pid and port. Read as
 * regular-file.ts reads (O_NOFOLLOW, O_NONBLOCK, a regular file only, bounded): a symlink to
 * another state dir's lock, a FIFO or a device at its name is no lock (null), never followed or
 * waited on. The pid it names proves nothing by itself: callers also attribute it (procs/facts.ts).
 */
export function readGatewayLock(file: string): GatewayLock | null {
  let raw: unknown;
  try {
    // Stryker disable next-line MethodExpression: JSON.parse skips the whitespace padding itself
    raw = JSON.parse(readRegular(file, MAX_LOCK_BYTES).trim());
    // Stryker disable next-line BlockStatement: raw stays undefined without it: no pid, no lock
  } catch {
    return null;
  }
  const lock = raw as Record<string, unknown>;
  if (!lock || typeof lock.pid !== 'number') return null;
  return {
    pid: lock.pid,
    port: typeof lock.port === 'number' ? lock.port : null,
    startTime: typeof lock.startTime === 'number' ? lock.startTime : null,
    ownerId: typeof lock.ownerId === 'string' ? lock.ownerId : null,
    // A lock held by something that is not a gateway (doctor): its role; absent for a gateway.
    ...(typeof lock.role === 'string' && lock.role !== 'gateway'
      ? { role: lock.role.slice(0, 64) }
      : {}),
  };
}

/**
 * Does the lock still name the process it was written by, for this port? On Linux the gateway
 * records its start time as /proc/<pid>/stat starttime (clock ticks since boot), the same unit as
 * `Proc.startTicks`. A lock without a start time, a pid that now names a process started at
 * another time (pid reuse), another user's process, or a gateway on another port is not ours. Pure.
 */
export function lockNames(
  lock: GatewayLock,
  proc: { pid: number; startTicks: number; uid: number | null } | null,
  port: number,
  uid: number | null,
): boolean {
  if (!proc || proc.pid !== lock.pid) return false;
  // A lock without a start time (null) matches no process either.
  if (lock.startTime !== proc.startTicks) return false;
  if (uid !== null && proc.uid !== uid) return false;
  return lock.port === null || lock.port === port;
}
