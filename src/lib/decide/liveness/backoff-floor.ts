import type { State } from '../../store/state.js';
import type { DecideSettings, Observation } from '../types.js';

/**
 * A `state.json` that was torn, corrupted or removed (`state_reset`) has lost the last restart's
 * time, and with it the backoff: the next check would restart at once. The event log keeps the
 * last `gateway_restart` (observe.ts reads it only on a check that is not healthy and whose state
 * has no restart time): a restart less than restart.baseDelaySec before now keeps the backoff's
 * floor, as one restart in the streak (the streak's length is not in the log; the floor is the
 * least the backoff allows). A time in the future (a clock that went backwards, a forged line) is
 * ignored: no floor. Counted as now, it would hold every check whose state never persists (an
 * unwritable state.json) for baseDelaySec from its own now, forever. Pure.
 */
export function withBackoffFloor(state: State, settings: DecideSettings, obs: Observation): State {
  const logged = obs.restartLogged ?? null;
  if (logged === null || logged > obs.now || state.restarts.lastAt !== null) return state;
  const lastAt = logged;
  const nextAllowedAt = lastAt + settings.restart.baseDelaySec * 1000;
  if (nextAllowedAt <= obs.now) return state;
  const { restarts } = state;
  return {
    ...state,
    restarts: {
      total: Math.max(restarts.total, 1),
      consecutive: Math.max(restarts.consecutive, 1),
      lastAt,
      nextAllowedAt: Math.max(restarts.nextAllowedAt ?? 0, nextAllowedAt),
    },
  };
}
