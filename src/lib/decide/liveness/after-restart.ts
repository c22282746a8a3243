import type { State } from '../../store/state.js';
import type { RestartReason, WatchdogEvent } from '../../store/event-types.js';
import { markHealthy } from './healthy.js';
import { withReminder } from './reminder.js';
import { restartHint } from './restart-failure.js';

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
}

type Folded = { state: State; events: WatchdogEvent[]; exitCode: 0 | 1 };

/**
 * Folds a restart's outcome into the state and the events, then the incident reminder as of the
 * end of verify (notify.remindAfterSec; null: none). Pure.
 */
export function afterRestart(
  state: State,
  outcome: RestartOutcome,
  reason: RestartReason,
  remindAfterSec: number | null = null,
): Folded {
  const folded = foldOutcome(state, outcome, reason);
  return withReminder(folded, outcome.endedAt, remindAfterSec, outcome.endedAt);
}

function foldOutcome(state: State, outcome: RestartOutcome, reason: RestartReason): Folded {
  const { method, pid, startedAt, endedAt } = outcome;
  const events: WatchdogEvent[] = [
    { level: 'info', event: 'gateway_restart', at: startedAt, reason, method, pid },
  ];
  // A restart was carried out: a later impossible one is said again (restart-impossible.ts).
  const { restartImpossibleSaid: _said, ...rest } = state;
  const next: State = {
    ...rest,
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
    const healthy = markHealthy({ ...next, healthySince: null }, endedAt, true);
    events.push(...healthy.events.map((e) => ({ ...e, at: endedAt })));
    return { state: healthy.state, events, exitCode: 0 };
  }
  if (outcome.result === 'pending') return { state: next, events, exitCode: 0 };
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
