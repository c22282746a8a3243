import type { WatchdogEvent } from '../store/event-types.js';
import type { State } from '../store/state.js';
import { noteUnattributed, type UnattributedOrphan } from './liveness/orphan-notes.js';
import type { Action, ActionOf } from './types.js';

/**
 * Whether carrying an action out kills or spawns (or restarts part of the gateway): such an action runs only while this check still
 * holds the check lock (a check that stalled and was taken over must not act on old facts).
 */
const KILLS_OR_SPAWNS: Record<Action['type'], boolean> = {
  stop: true,
  'reap-orphans': true,
  'report-orphans': false,
  restart: true,
  'graceful-restart': true,
  // Kills nothing, but stops and starts a channel account: on facts another check may have acted
  // on already (a takeover that restarted the gateway or the same account), it must not run.
  'channel-restart': true,
};

export const killsOrSpawns = (action: Action): boolean => KILLS_OR_SPAWNS[action.type];

/** How an action is named where a check says it skipped it: reporting orphans is their reaping
 * under orphans.action "report". */
export const actionName = (action: Action): string =>
  action.type === 'report-orphans' ? 'reap-orphans' : action.type;

/** A dry run carries out nothing: it only lists the orphans it would reap. */
export function dryRunActions(actions: Action[]): Action[] {
  return actions.flatMap((a): Action[] =>
    a.type === 'reap-orphans' || a.type === 'report-orphans'
      ? [{ ...a, type: 'report-orphans' }]
      : [],
  );
}

/** The check lock was taken over before `skipped[0]`: it and the rest were not carried out. */
export function lockLost(skipped: Action[], at: number): WatchdogEvent {
  return { level: 'warn', event: 'lock_lost', at, skipped: skipped.map(actionName) };
}

/** What a stop did, as an event. */
export function afterStop(
  action: ActionOf<'stop'>,
  stop: { stopped: number[]; killed: number[]; survivors: number[] },
  at: number,
): WatchdogEvent {
  const { stopped: pids, killed, survivors } = stop;
  return {
    level: 'info',
    event: 'gateway_stopped',
    at,
    reason: action.reason,
    pids,
    killed,
    survivors,
  };
}

/** Orphans reaped (or found) fold into the state's running total and the events; the
 * unattributed ones are said once per process (liveness/orphan-notes.ts). */
export function afterOrphans(
  state: State,
  run: { reaped: number[]; events: WatchdogEvent[]; unattributed?: UnattributedOrphan[] },
  at: number,
): { state: State; events: WatchdogEvent[] } {
  const noted = run.unattributed
    ? noteUnattributed(state, run.unattributed)
    : { state, event: null };
  const events = noted.event ? [...run.events, noted.event] : run.events;
  return {
    state: { ...noted.state, orphansReapedTotal: state.orphansReapedTotal + run.reaped.length },
    events: events.map((e) => ({ ...e, at })),
  };
}
