import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GatewayLock {
  pid: number;
  port: number | null;
  startTime: number | null;
}

export function gatewayLockPath(stateDir: string, uid: number): string {
  return join(stateDir, 'tmp', `openclaw-${uid}`, 'gateway.state.lock');
}

/** The gateway's own lock (JSON plus padding): names the live gateway's pid and port. */
export function readGatewayLock(file: string): GatewayLock | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
  const lock = raw as Record<string, unknown>;
  if (!lock || typeof lock.pid !== 'number') return null;
  return {
    pid: lock.pid,
    port: typeof lock.port === 'number' ? lock.port : null,
    startTime: typeof lock.startTime === 'number' ? lock.startTime : null,
  };
}
