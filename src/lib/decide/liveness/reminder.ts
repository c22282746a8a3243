import type { State } from '../../store/state.js';
import type { WatchdogEvent } from '../../store/event-types.js';
import { reached } from '../cadence.js';

/** With notify.remindAfterSec, an open incident re-alerts every that many seconds. Pure. */
export function reminder(
  state: State,
  now: number,
  remindAfterSec: number | null,
  slackMs = 0,
): { event: WatchdogEvent | null; state: State } {
  const incident = state.incident;
  if (!incident || remindAfterSec === null)
    return { event: null, state: { ...state, lastAlertAt: null } };
  const last = state.lastAlertAt ?? incident.since;
  if (!reached(now, last, remindAfterSec * 1000, slackMs))
    return { event: null, state: { ...state, lastAlertAt: last } };
  const event: WatchdogEvent = {
    level: 'warn',
    event: 'incident_reminder',
    kind: incident.kind,
    sinceSec: Math.round((now - incident.since) / 1000),
  };
  return { event, state: { ...state, lastAlertAt: now } };
}

/** The reminder folded into a state and its events: the last step of every run. */
export function withReminder<T extends { state: State; events: WatchdogEvent[] }>(
  run: T,
  now: number,
  remindAfterSec: number | null,
  at?: number,
  slackMs = 0,
): T {
  const remind = reminder(run.state, now, remindAfterSec, slackMs);
  if (!remind.event) return { ...run, state: remind.state };
  const event = at === undefined ? remind.event : { ...remind.event, at };
  return { ...run, state: remind.state, events: [...run.events, event] };
}
