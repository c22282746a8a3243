import type { Pause } from '../../store/pause.js';
import type { State } from '../../store/state.js';
import type { WatchdogEvent } from '../../store/event-types.js';
import { iso } from '../../units.js';
import { actionName } from '../actions.js';
import { undoChannelSteps } from '../signals/channels.js';
import type { Decision } from '../types.js';

/** What a check that wanted to restart says when backoff held it back (or would have). */
function isBackoff(e: WatchdogEvent): boolean {
  if (e.event === 'waiting') return e.reason === 'backoff';
  return e.event === 'restart_deferred' || e.event === 'crash_loop';
}

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
    const pausedSec = Math.round((pause.until - pause.since) / 1000);
    const resumed: WatchdogEvent = {
      level: 'info',
      event: 'resumed',
      reason: 'expired',
      pausedSec,
    };
    return { ...decision, events: [resumed, ...decision.events], pauseExpired: true };
  }
  // Reaping old orphans on a healthy check is routine: only what the check wanted done counts.
  const skipped = decision.actions
    .filter(
      (a) => (a.type !== 'reap-orphans' && a.type !== 'report-orphans') || a.minAgeSec === null,
    )
    .map(actionName);
  // Backoff is not what holds a paused check back: it says only that it skipped the restart.
  const deferred = decision.events.some(isBackoff);
  if (deferred && !skipped.includes('restart')) skipped.push('restart');
  const events = decision.events.filter((e) => !isBackoff(e));
  if (skipped.length) {
    const until = iso(pause.until);
    events.push({
      level: 'warn',
      event: 'action_skipped',
      reason: 'paused',
      until,
      actions: skipped,
    });
  }
  // A restart that did not happen must not count toward backoff.
  const state = {
    ...decision.state,
    restarts: saved.restarts,
    crashLoopNotified: saved.crashLoopNotified,
    channels: undoChannelSteps(decision.state.channels, saved.channels),
    ...(deferred ? { waiting: saved.waiting } : {}),
    // The safe-mode recovery restart was not sent: the next check after the pause may send it.
    safeMode: decision.state.safeMode && {
      ...decision.state.safeMode,
      recoverAt: saved.safeMode?.recoverAt ?? null,
    },
  };
  const detail = `${decision.detail} (paused)`;
  return { ...decision, state, actions: [], events, detail, pauseExpired: false };
}
