import type { Pause } from '../store/pause.js';
import type { State } from '../store/state.js';
import type { Decision } from './types.js';

/** What a check that wanted to restart says when backoff held it back (or would have). */
const BACKOFF_EVENTS = new Set(['restart_deferred', 'crash_loop']);

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
  const skipped = decision.actions
    .filter((a) => a.type !== 'reap-orphans' || a.minAgeSec === null)
    .map((a) => a.type as string);
  // Backoff is not what holds a paused check back: it says only that it skipped the restart.
  const backoff = (e: { event: string; reason?: unknown }) =>
    BACKOFF_EVENTS.has(e.event) || (e.event === 'waiting' && e.reason === 'backoff');
  const deferred = decision.events.some(backoff);
  if (deferred && !skipped.includes('restart')) skipped.push('restart');
  const events = decision.events.filter((e) => !backoff(e));
  if (skipped.length) {
    events.push({
      level: 'warn',
      event: 'action_skipped',
      reason: 'paused',
      until: new Date(pause.until).toISOString(),
      actions: skipped,
    });
  }
  // A restart that did not happen must not count toward backoff.
  const state = {
    ...decision.state,
    restarts: saved.restarts,
    crashLoopNotified: saved.crashLoopNotified,
    ...(deferred ? { waiting: saved.waiting } : {}),
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
