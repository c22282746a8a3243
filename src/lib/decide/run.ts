import type { State } from '../store/state.js';
import { rebaseClock } from './liveness/bookkeeping.js';
import { cadenceSlackMs } from './cadence.js';
import { decide } from './decide.js';
import { applyPause } from './on-purpose/pause.js';
import { withReminder } from './liveness/reminder.js';
import type { DecideSettings, Observation, RunDecision } from './types.js';

/**
 * A whole check's policy, pure: the decision, held back by a maintenance pause, then the incident
 * reminder. A check that restarts reminds after verify instead (afterRestart), as of its outcome.
 */
export function decideRun(settings: DecideSettings, loaded: State, obs: Observation): RunDecision {
  // Saved times moved by any wall-clock jump first, so that a pause restores them as decide saw them.
  const saved = rebaseClock(loaded, obs.now, obs.clock ?? null);
  const pause = obs.pause ?? null;
  const decision = applyPause(decide(settings, saved, obs), pause, obs.now, saved);
  const paused = pause !== null && !decision.pauseExpired;
  const { restarts, crashLoopNotified, healthySince } = saved;
  const run = { ...decision, paused, before: { restarts, crashLoopNotified, healthySince } };
  if (decision.actions.some((a) => a.type === 'restart')) return run;
  const slackMs = cadenceSlackMs(saved.lastCheckAt, obs.now);
  return withReminder(run, obs.now, settings.notify.remindAfterSec, undefined, slackMs);
}
