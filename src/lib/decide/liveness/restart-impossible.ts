import type { State } from '../../store/state.js';
import type { RestartReason, WatchdogEvent } from '../../store/event-types.js';

/** Why no start is possible (restart/can-start.ts): the method that would have run, why, the fix. */
export interface Impossible {
  method: string;
  error: string;
  fix: string;
}

/** The restart bookkeeping as it was before this check decided to restart (decide/run.ts). */
export type RestartsBefore = Pick<State, 'restarts' | 'crashLoopNotified' | 'healthySince'>;

/**
 * A restart was decided, but no start is possible, so nothing was stopped or started. It does not
 * count toward the backoff or the crash loop (the restarts are as before the decision), and
 * `restart_impossible` (an alert, with the fix) is said once until a restart is carried out
 * (afterRestart clears it). The check exits 1 and says why. Pure.
 */
export function afterImpossible(
  state: State,
  before: RestartsBefore | null,
  why: Impossible,
  reason: RestartReason,
): { state: State; events: WatchdogEvent[]; exitCode: 1; detail: string } {
  const events: WatchdogEvent[] = state.restartImpossibleSaid
    ? []
    : [{ level: 'error', event: 'restart_impossible', reason, ...why }];
  const next: State = {
    ...state,
    ...(before ?? {}),
    restartImpossibleSaid: true,
  };
  return {
    state: next,
    events,
    exitCode: 1,
    detail: `restart impossible: ${why.error}; fix: ${why.fix}`,
  };
}
