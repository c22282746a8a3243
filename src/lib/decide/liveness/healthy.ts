import type { WatchdogEvent } from '../../store/event-types.js';
import type { State } from '../../store/state.js';
import { iso, secs } from '../../units.js';
import { learnBoot, type BootSample } from './bookkeeping.js';

/** No incident open and no timer of one running: what a healthy check, or a stop the user meant,
 * leaves behind (a later outage counts from its own first check). */
export const NO_INCIDENT = {
  incident: null,
  unhealthySince: null,
  waiting: null,
  unresponsiveSince: null,
  startingSince: null,
  notListening: null,
} as const satisfies Partial<State>;

/**
 * The gateway is healthy at `now` (a check's probe, or a restart's verify): the open down or hung
 * incident ends with `gateway_recovered`, every "not healthy" timer stops, and a gateway this
 * watchdog started, still running, teaches its boot time. Pure.
 */
export function markHealthy(
  state: State,
  now: number,
  /** The healthy gateway is the one state.spawned names (see learnBoot). */
  spawnedAlive: boolean,
  /** A restart's verify measured the boot itself (see learnBoot). */
  sample?: BootSample,
): { state: State; events: WatchdogEvent[] } {
  const events: WatchdogEvent[] = [];
  const { incident } = state;
  if (incident && incident.kind !== 'conflict') {
    // Downtime runs from when it died, when OpenClaw's records say (decide/openclaw/downtime.ts),
    // else from the first check that saw it not healthy, not from the incident event.
    const seen = Math.min(incident.since, state.unhealthySince ?? incident.since);
    const died = incident.died && incident.died.at <= seen ? incident.died : null;
    events.push({
      level: 'info',
      event: 'gateway_recovered',
      downtimeSec: secs(now - (died?.at ?? seen)),
      downtimeFrom: died?.from ?? 'first_check',
      ...(died ? { diedAt: iso(died.at), seenDownSec: secs(now - seen) } : {}),
    });
  }
  const healthy: State = {
    ...state,
    lastVerdict: 'healthy',
    ...NO_INCIDENT,
    healthySince: state.healthySince ?? now,
    lastHealthyAt: now,
  };
  return { state: learnBoot(healthy, now, spawnedAlive, sample), events };
}
