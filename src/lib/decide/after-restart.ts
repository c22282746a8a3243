import type { State } from '../store/state.js';
import type { WatchdogEvent } from '../store/events.js';

/** How a restart went, as the restart adapter saw it. */
export interface RestartOutcome {
  method: 'command' | 'systemd' | 'openclaw' | 'none';
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

export const CONFIG_EXIT = 78;
const secs = (ms: number) => Math.round(ms / 100) / 10;

/** Folds a restart's outcome into the state and the events. Pure. */
export function afterRestart(
  state: State,
  outcome: RestartOutcome,
  reason: string,
): { state: State; events: WatchdogEvent[]; exitCode: 0 | 1 } {
  const events: WatchdogEvent[] = [
    {
      level: 'info',
      event: 'gateway_restart',
      at: outcome.startedAt,
      reason,
      method: outcome.method,
      pid: outcome.pid,
    },
  ];
  let next: State = {
    ...state,
    spawned: {
      // Never a pid without its start time: a pid alone may name any process later.
      pid: outcome.startTicks === null ? null : outcome.pid,
      startTicks: outcome.startTicks,
      at: outcome.startedAt,
      method: outcome.method,
    },
  };
  if (outcome.result === 'healthy') {
    const bootSec = secs(outcome.endedAt - outcome.startedAt);
    if (next.incident && next.incident.kind !== 'conflict') {
      events.push({
        level: 'info',
        event: 'gateway_recovered',
        at: outcome.endedAt,
        downtimeSec: secs(
          outcome.endedAt - Math.min(next.incident.since, next.unhealthySince ?? Infinity),
        ),
      });
    }
    next = {
      ...next,
      incident: null,
      unhealthySince: null,
      waiting: null,
      healthySince: outcome.endedAt,
      lastHealthyAt: outcome.endedAt,
      unresponsiveSince: null,
      startingSince: null,
      notListening: null,
      lastVerdict: 'healthy',
      slowestBootSec: Math.max(next.slowestBootSec ?? 0, bootSec),
      spawned: { ...next.spawned!, bootSec },
    };
    return { state: next, events, exitCode: 0 };
  }
  if (outcome.result === 'pending') return { state: next, events, exitCode: 0 };
  const configTrouble = outcome.exitCode === CONFIG_EXIT;
  events.push({
    level: 'error',
    event: 'restart_failed',
    at: outcome.endedAt,
    method: outcome.method,
    exitCode: outcome.exitCode ?? null,
    signal: outcome.signal ?? null,
    ...(outcome.error ? { error: outcome.error } : {}),
    output: outcome.output ?? '',
    ...(configTrouble
      ? {
          hint: 'exit 78: OpenClaw configuration trouble (invalid config, missing gateway.mode, state dir owned by another gateway); restarting will not fix it',
        }
      : {}),
  });
  return { state: { ...next, spawned: null }, events, exitCode: 1 };
}
