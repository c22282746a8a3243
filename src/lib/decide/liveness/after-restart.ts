import type { State } from '../../store/state.js';
import type { RestartReason, WatchdogEvent } from '../../store/event-types.js';
import { markHealthy } from './healthy.js';
import { withReminder } from './reminder.js';
import { CONFIG_EXIT, restartHint } from './restart-failure.js';

/** How a restart went, as the restart adapter saw it. */
export interface RestartOutcome {
  /** `rpc`: restarted in place through OpenClaw's gateway.restart.request (restart/graceful.ts). */
  method: 'command' | 'systemd' | 'openclaw' | 'none' | 'rpc';
  pid: number | null;
  startTicks: number | null;
  startedAt: number;
  /** healthy: the probe passed; pending: still booting when verify ended; failed: see exitCode/output. */
  result: 'healthy' | 'pending' | 'failed';
  endedAt: number;
  exitCode?: number | null;
  signal?: string | null;
  output?: string;
  error?: string;
  /** Healthy: the boot-time clock from the start to the first healthy probe (what the grace learns). */
  bootMs?: number;
  /** Healthy, but verify itself stalled on the way: its time to healthy teaches nothing. */
  stalled?: boolean;
  /** Failed: the healthy answer came from another state dir's gateway that took our port while
   * ours booted (restart/index.ts verify): a port conflict. */
  conflict?: { pid: number; name: string };
}

type Folded = { state: State; events: WatchdogEvent[]; exitCode: 0 | 1 };

/**
 * A failed start of a new version, once per update: the start right after the replacement, or
 * any start before the new version was ever healthy that exits 78 (OpenClaw's
 * maintenance_required: state migration, newer schema…). One `update_failed` naming the update and
 * what OpenClaw printed, instead of `restart_failed`; later failures are the usual
 * `restart_failed` under the usual backoff (no restart storm). Pure.
 */
function updateFailed(
  state: State,
  outcome: RestartOutcome,
  reason: RestartReason,
): { state: State; event: WatchdogEvent } | null {
  const update = state.update;
  if (!update || update.failedSaid) return null;
  // Stryker disable next-line ConditionalExpression: a null lastHealthyAt is below any epoch time (null < at): the `=== null` only narrows the type
  const neverHealthy = state.lastHealthyAt === null || state.lastHealthyAt < update.at;
  if (reason !== 'updated' && !(neverHealthy && outcome.exitCode === CONFIG_EXIT)) return null;
  const event: WatchdogEvent = {
    level: 'error',
    event: 'update_failed',
    at: outcome.endedAt,
    from: update.from,
    to: update.to,
    exitCode: outcome.exitCode ?? null,
    output: outcome.output ?? '',
    ...(outcome.exitCode === CONFIG_EXIT ? { hint: UPDATE_HINT } : {}),
  };
  return { state: { ...state, update: { ...update, failedSaid: true } }, event };
}

const UPDATE_HINT =
  'exit 78: the new version will not start as things are (maintenance_required: a state migration or newer schema; or configuration trouble); restarting will not fix it';

/**
 * Folds a restart's outcome into the state and the events, then the incident reminder as of the
 * end of verify (notify.remindAfterSec; null: none). `said`: this restart's `gateway_restart` is
 * logged already (an in-place request that was accepted, then a clean stop and a start: one
 * restart, one line; the backoff step was taken once, at the decision). Pure.
 */
export function afterRestart(
  state: State,
  outcome: RestartOutcome,
  reason: RestartReason,
  remindAfterSec: number | null = null,
  said = false,
): Folded {
  const folded = foldOutcome(state, outcome, reason);
  const events = said ? folded.events.filter((e) => e.event !== 'gateway_restart') : folded.events;
  return withReminder({ ...folded, events }, outcome.endedAt, remindAfterSec, outcome.endedAt);
}

/**
 * The backoff runs from the start, not from the decision: a slow stop or orphan reap between the
 * two (up to restart.stopTimeoutSec + orphans.killTimeoutSec + a probe) must not bring the next
 * restart that much closer. `lastAt` (set at the decision, backoff.ts) moves to the start and
 * `nextAllowedAt` with it. Pure.
 */
export function backoffFromSpawn(state: State, startedAt: number): State {
  const { lastAt, nextAllowedAt } = state.restarts;
  // Stryker disable next-line EqualityOperator: a start at exactly lastAt shifts by 0, the same state
  if (lastAt === null || startedAt <= lastAt) return state;
  const shift = startedAt - lastAt;
  return {
    ...state,
    restarts: {
      ...state.restarts,
      lastAt: startedAt,
      nextAllowedAt: nextAllowedAt === null ? null : nextAllowedAt + shift,
    },
  };
}

function foldOutcome(state: State, outcome: RestartOutcome, reason: RestartReason): Folded {
  const { method, pid, startedAt, endedAt } = outcome;
  const update = state.update ?? null;
  // The start after an update says gateway_updated instead (one alert: "updated to …"), or,
  // failed, update_failed (below).
  const events: WatchdogEvent[] =
    reason === 'updated'
      ? outcome.result === 'failed'
        ? []
        : [
            {
              level: 'info',
              event: 'gateway_updated',
              at: endedAt,
              from: update?.from ?? null,
              to: update?.to ?? null,
              method,
              pid,
              result: outcome.result,
            },
          ]
      : [{ level: 'info', event: 'gateway_restart', at: startedAt, reason, method, pid }];
  // A restart was carried out: a later impossible one is said again (restart-impossible.ts).
  const { restartImpossibleSaid: _said, ...rest } = state;
  const next: State = {
    ...backoffFromSpawn(rest, startedAt),
    spawned: {
      // Never a pid without its start time: a pid alone may name any process later.
      pid: outcome.startTicks === null ? null : pid,
      startTicks: outcome.startTicks,
      at: startedAt,
      method,
    },
  };
  if (outcome.result === 'healthy') {
    // A new gateway: healthy since the end of verify (the one just spawned: verify saw it).
    const sample = { bootMs: outcome.bootMs ?? null, stalled: outcome.stalled === true };
    const healthy = markHealthy({ ...next, healthySince: null }, endedAt, true, sample);
    events.push(...healthy.events.map((e) => ({ ...e, at: endedAt })));
    return { state: healthy.state, events, exitCode: 0 };
  }
  if (outcome.result === 'pending') return { state: next, events, exitCode: 0 };
  if (outcome.conflict) return portTaken(next, events, outcome.conflict, outcome.endedAt);
  const failedUpdate = updateFailed(next, outcome, reason);
  if (failedUpdate)
    return {
      state: { ...failedUpdate.state, spawned: null },
      events: [...events, failedUpdate.event],
      exitCode: 1,
    };
  const hint = restartHint(outcome);
  events.push({
    level: 'error',
    event: 'restart_failed',
    at: endedAt,
    method,
    exitCode: outcome.exitCode ?? null,
    signal: outcome.signal ?? null,
    ...(outcome.error ? { error: outcome.error } : {}),
    output: outcome.output ?? '',
    ...(hint ? { hint } : {}),
  });
  return { state: { ...next, spawned: null }, events, exitCode: 1 };
}

/**
 * Another state dir's gateway took our port while ours booted: verify saw its answer, not ours.
 * A port conflict (said once per incident, as decide/step.ts `conflict` says it), never a
 * recovery; ours will not bind, so it is not followed as ours (no spawned identity). Pure.
 */
function portTaken(
  state: State,
  events: WatchdogEvent[],
  holder: { pid: number; name: string },
  at: number,
): Folded {
  const said = state.incident?.kind === 'conflict';
  const conflict: WatchdogEvent = {
    level: 'error',
    event: 'port_conflict',
    at,
    pid: holder.pid,
    name: holder.name,
    verdict: 'healthy',
    holder: 'other_gateway',
  };
  return {
    state: {
      ...state,
      spawned: null,
      incident: said ? state.incident : { kind: 'conflict', since: at },
    },
    events: said ? events : [...events, conflict],
    exitCode: 1,
  };
}
