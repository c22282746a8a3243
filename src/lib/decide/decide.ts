import type { State } from '../store/state.js';
import { graceSec } from './liveness/backoff.js';
import { withBackoffFloor } from './liveness/backoff-floor.js';
import { rebaseClock } from './liveness/bookkeeping.js';
import {
  booting,
  foreignHolder,
  healthy,
  refused,
  starting,
  unresponsive,
} from './liveness/rules.js';
import { maintenance, SUSPENDED } from './openclaw/maintenance.js';
import { installationReplaced } from './openclaw/update.js';
import { cadenceSlackMs, reached } from './cadence.js';
import { noteDisk } from './signals/disk.js';
import { clearSignals, keyToGateway } from './signals/signal-gateway.js';
import { conflict, type Step } from './step.js';
import { seenStart, stopped, stoppedByUser } from './on-purpose/user-stop.js';
import type { DecideSettings, Decision, GatewayProc, Observation } from './types.js';

/**
 * One check's decision: a pure function of (settings, saved state, observations, now).
 * It never kills a starting gateway, never touches a foreign port holder, and restarts only
 * when backoff allows. Effects are returned as actions; the caller carries them out.
 * Each situation is one rule (rules.ts); this picks the rule.
 */
export function decide(settings: DecideSettings, saved: State, obs: Observation): Decision {
  const step = begin(settings, saved, obs);
  noteDisk(step);
  const v = obs.probe.verdict;
  const stop = stoppedByUser(step.state, obs);
  step.state = { ...step.state, userStopAt: null, gatewaySeenStartAt: seenStart(step.state, obs) };
  // A healthy answer from another state dir's gateway on our port is not ours being healthy.
  const notOurs = v === 'healthy' && answeredByOther(obs);
  if (notOurs) step.state = { ...step.state, lastVerdict: OTHER_GATEWAY_VERDICT };
  if (v === 'healthy' && !notOurs) {
    step.state = keyToGateway(step.state, obs.gatewayTree);
    const decision = healthy(step);
    // A stretch of OpenClaw's own work ends at a healthy check, unless it held a stop for it.
    if (step.heldForOpenClaw) return decision;
    return { ...decision, state: endStretch(decision.state, obs) };
  }
  const { now } = step;
  step.state = {
    ...clearSignals(step.state),
    healthySince: null,
    unhealthySince: step.state.unhealthySince ?? now,
    ...(v !== 'unresponsive' ? { unresponsiveSince: null } : {}),
    ...(v !== 'starting' ? { startingSince: null } : {}),
  };
  if (stop) return stopped(step, stop, saved.userStopAt);
  // OpenClaw updating or maintaining itself is left alone (up to update.maxSec).
  const atWork = maintenance(step);
  if (atWork) return atWork;
  if (foreignHolder(step)) return conflict(step);
  const grace = graceSec(settings, step.state) * 1000;
  const young = youngGateway(step, grace);
  if (v === 'starting') return starting(step, young, grace);
  if (young) return booting(step, young, grace);
  if (v === 'refused') return installationReplaced(step) ?? refused(step, grace);
  return unresponsive(step);
}

/**
 * A healthy check that held nothing for OpenClaw: the gateway answers, nothing waits for OpenClaw
 * (`maintenance` cleared). The work whose update.maxSec is spent (`stuckWork`) is kept: only a read
 * of OpenClaw's records (this check's, before a stop, or a later one) can find it gone, and the
 * same stuck run must not hold the next stop or restart for another update.maxSec. A suspension
 * is the exception: a gateway that answers healthy is not suspended.
 */
function endStretch(state: State, obs: Observation): State {
  const suspended = obs.openclaw === undefined && state.stuckWork === SUSPENDED;
  return { ...state, maintenance: null, ...(suspended ? { stuckWork: null } : {}) };
}

/** What state.lastVerdict says when a gateway of another state dir answered on our port. */
export const OTHER_GATEWAY_VERDICT = 'other-gateway';

/** The probe was answered, but the port's holder is provably another state dir's or profile's
 * gateway (observe.ts looks only when no gateway of ours is known). */
function answeredByOther(obs: Observation): boolean {
  return obs.portOwner?.gateway === true && obs.portOwner.whose === 'other';
}

function begin(settings: DecideSettings, loaded: State, obs: Observation): Step {
  // A state reset lost the last restart's time: the event log's keeps the backoff's floor.
  const saved = withBackoffFloor(rebaseClock(loaded, obs.now, obs.clock ?? null), settings, obs);
  const state: State = {
    ...saved,
    lastCheckAt: obs.now,
    clock: obs.clock ?? null,
    lastVerdict: obs.probe.verdict,
    lockListener: obs.lockListener ?? null,
  };
  const slackMs = cadenceSlackMs(saved.lastCheckAt, obs.now);
  return { settings, obs, now: obs.now, state, events: [], slackMs };
}

/** Booting: younger than the grace, and not yet seen healthy since it started. A gateway that
 * answered once and then stopped answering is hung, however young. */
function youngGateway(step: Step, grace: number): GatewayProc | undefined {
  const lastHealthy = step.state.lastHealthyAt;
  const { now } = step;
  return step.obs.gateways.find((g) => {
    const start = now - g.ageSec * 1000;
    // Stryker disable next-line ConditionalExpression: a null lastHealthy is below any start (null < t): the check only narrows the type
    const notHealthySince = lastHealthy === null || lastHealthy < start;
    return !reached(now, start, grace, step.slackMs) && notHealthySince;
  });
}
