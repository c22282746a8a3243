import type { Pause } from '../store/pause.js';
import type { State } from '../store/state.js';
import type { Decision } from './types.js';

/**
 * During a pause a check still probes, decides and logs, but carries out nothing: no kill, no
 * restart, no reaping. The first check after the pause ends says `resumed`. Pure.
 */
export function applyPause(
  decision: Decision,
  pause: Pause | null,
  now: number,
  saved: State,
): Decision & { pauseExpired: boolean } {
  if (!pause) return { ...decision, pauseExpired: false };
  if (pause.until <= now) {
    return {
      ...decision,
      events: [
        {
          level: 'info',
          event: 'resumed',
          reason: 'expired',
          pausedSec: Math.round((pause.until - pause.since) / 1000),
        },
        ...decision.events,
      ],
      pauseExpired: true,
    };
  }
  const skipped = decision.actions.filter((a) => a.type !== 'reap-orphans' || a.minAgeSec === null);
  const events = [...decision.events];
  if (skipped.length) {
    events.push({
      level: 'warn',
      event: 'action_skipped',
      reason: 'paused',
      until: new Date(pause.until).toISOString(),
      actions: skipped.map((a) => a.type),
    });
  }
  // A restart that did not happen must not count toward backoff.
  const state = {
    ...decision.state,
    restarts: saved.restarts,
    crashLoopNotified: saved.crashLoopNotified,
  };
  return {
    ...decision,
    state,
    actions: [],
    events,
    detail: `${decision.detail} (paused)`,
    pauseExpired: false,
  };
}
