import { NO_INCIDENT } from '../liveness/healthy.js';
import type { State } from '../../store/state.js';
import { iso } from '../../units.js';
import { result, type Step } from '../step.js';
import type { Decision, Observation, UserStop } from '../types.js';

export type { UserStop } from '../types.js';

/**
 * A healthy check this close after a stop may have probed before the SIGTERM landed (the line
 * and the signal are a few ms apart); a real gateway takes 8 s or more to boot again (§9).
 */
export const STOP_SLACK_MS = 2000;

const latest = (times: (number | null | undefined)[]): number | null => {
  const known = times.filter((t): t is number => typeof t === 'number');
  return known.length ? Math.max(...known) : null;
};

/** The latest start of a gateway process of ours seen so far (this check's included). Pure. */
export function seenStart(state: State, obs: Observation): number | null {
  const ours = obs.gateways.filter((g) => g.ours).map((g) => obs.now - g.ageSec * 1000);
  return latest([state.gatewaySeenStartAt, ...ours]);
}

/**
 * When the gateway was last started, as far as the checks know: the latest of this watchdog's
 * own restart (state.spawned.at), the start of any gateway process of ours a check saw (now, or
 * earlier: one that crashed while booting was started all the same), and the last check that
 * saw it healthy (less STOP_SLACK_MS: a gateway answering after the stop was started again, by
 * hand or by its service). Null: nothing known. Pure.
 */
export function lastStart(state: State, obs: Observation): number | null {
  const healthy = state.lastHealthyAt === null ? null : state.lastHealthyAt - STOP_SLACK_MS;
  return latest([state.spawned?.at, healthy, seenStart(state, obs)]);
}

/**
 * With no start known (a fresh install, a lost or reset state.json), a stop this old is not
 * trusted: the user may have started the gateway again by hand since (`gateway run` writes no
 * lifecycle line) and it crashed. Younger, the stop is trusted and noted (state.userStopAt): the
 * checks after that keep trusting that same stop, whatever its age, until a start is seen.
 */
export const UNSEEN_START_STOP_MS = 60 * 60_000;

/**
 * The gateway is not up, and the user's last stop is provably newer than its last start. Pure.
 * - A stop dated after now (the clock was ahead when it was written, and was stepped back since)
 *   cannot be ordered against the starts the checks saw: no stop.
 * - A start known (lastStart): the stop wins when newer.
 * - No start known: the stop wins only when this watchdog trusted that same stop already, or it
 *   is at most UNSEEN_START_STOP_MS old. An old stop never keeps a crashed gateway down.
 * (A gateway lock written after the stop, left behind by a crash, already superseded the stop in
 * lifecycle/user-stop.ts.)
 */
export function stoppedByUser(state: State, obs: Observation): UserStop | null {
  const stop = obs.userStop ?? null;
  if (!stop || obs.probe.verdict === 'healthy') return null;
  if (stop.at > obs.now + STOP_SLACK_MS) return null;
  const start = lastStart(state, obs);
  if (start !== null) return stop.at > start ? stop : null;
  // Stryker disable next-line ConditionalExpression: a null userStopAt is |stop.at| (an epoch time) away, never within the slack: the check only narrows the type
  const noted = state.userStopAt !== null && Math.abs(state.userStopAt - stop.at) < STOP_SLACK_MS;
  return noted || obs.now - stop.at <= UNSEEN_START_STOP_MS ? stop : null;
}

const BY: Record<UserStop['source'], string> = {
  openclaw: 'openclaw gateway stop',
  systemd: 'systemctl --user stop',
};

/**
 * Stopped on purpose: nothing is stopped, reaped or restarted, the check exits 0, and
 * `gateway_stopped_by_user` is said once per stop. The stop ends any open incident (the user
 * took over: no reminders) and every "not healthy" timer. A start (healthy again, a newer gateway
 * process, a later lifecycle record) ends it by itself.
 */
export function stopped(step: Step, stop: UserStop, noted: number | null): Decision {
  // The unit's stop time is derived from the monotonic clock on every read: a few ms of jitter.
  // Two stops this close together are one (a start in between takes longer than that).
  // Stryker disable next-line ConditionalExpression: a null `noted` is |stop.at| (an epoch time) away, never within the slack: the check only narrows the type
  const same = noted !== null && Math.abs(noted - stop.at) < STOP_SLACK_MS;
  if (!same)
    step.events.push({
      level: 'warn',
      event: 'gateway_stopped_by_user',
      stoppedAt: iso(stop.at),
      source: stop.source,
      pid: stop.pid,
    });
  step.state = {
    ...step.state,
    userStopAt: same ? noted : stop.at,
    // Down on purpose is no downtime: a later outage counts from its own first check.
    ...NO_INCIDENT,
    lastAlertAt: null,
  };
  const detail = `stopped by the user at ${iso(stop.at)} (${BY[stop.source]}); not restarted until it is started again`;
  return result(step, 'stopped', detail, 0);
}
