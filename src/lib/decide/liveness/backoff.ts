import type { State } from '../../store/state.js';
import { updateGraceSec } from '../openclaw/update.js';
import { CADENCE_SLACK_SHARE, reached } from '../cadence.js';
import type { DecideSettings } from '../types.js';

/** Delay before a restart, given how many restarts the current streak already holds:
 * 0, base, 2 x base, 4 x base ... capped at max (defaults: 0, 60, 120, 240 ... 1800 s). */
export function backoffDelaySec(consecutive: number, baseSec: number, maxSec: number): number {
  if (consecutive <= 0) return 0;
  return Math.min(maxSec, baseSec * 2 ** (consecutive - 1));
}

/** Startup grace: max(probe.startupGraceSec, 2 x the slowest boot seen, and for the first boot
 * of a new OpenClaw version update.startupGraceSec). */
export function graceSec(settings: DecideSettings, state: State): number {
  const update = updateGraceSec(settings, {
    update: state.update ?? null,
    lastHealthyAt: state.lastHealthyAt,
  });
  return Math.max(settings.probe.startupGraceSec, 2 * (state.slowestBootSec ?? 0), update);
}

/** When the next restart may happen; a clock that jumped backwards cannot push it past the cap. */
export function nextAllowedAt(state: State, settings: DecideSettings, now: number): number {
  const at = state.restarts.nextAllowedAt;
  if (at === null) return now;
  return Math.min(at, now + settings.restart.maxDelaySec * 1000);
}

/** How early a restart may come (the cadence slack, cadence.ts), and never more than a tenth of
 * the backoff delay itself: with a 1 s delay and checks 3 s apart, the cadence's 0.3 s would be
 * 30 % of it (soak seed 5: two starts 804 ms apart). A delay of 30 s or more keeps the whole
 * slack. No restart time known: no slack. */
export function backoffSlackMs(state: State, allowedAt: number, slackMs: number): number {
  const lastAt = state.restarts.lastAt;
  if (lastAt === null) return 0;
  return Math.min(slackMs, Math.max(0, allowedAt - lastAt) * CADENCE_SLACK_SHARE);
}

/** The backoff allows a restart at `now` (`allowedAt` from nextAllowedAt, less the slack above). */
export function backoffOver(
  state: State,
  allowedAt: number,
  now: number,
  slackMs: number,
): boolean {
  return reached(now, allowedAt, 0, backoffSlackMs(state, allowedAt, slackMs));
}

/** The state after a restart was started at `now`. */
export function recordRestartStarted(state: State, settings: DecideSettings, now: number): State {
  const consecutive = state.restarts.consecutive + 1;
  const delay = backoffDelaySec(
    consecutive,
    settings.restart.baseDelaySec,
    settings.restart.maxDelaySec,
  );
  return {
    ...state,
    healthySince: null,
    restarts: {
      total: state.restarts.total + 1,
      consecutive,
      lastAt: now,
      nextAllowedAt: now + delay * 1000,
    },
  };
}

/** Healthy for restart.stableAfterSec since the last restart: the streak is over. A gateway that
 * was over the memory ceiling at the last check (decide/memory.ts) is not stable. */
export function resetIfStable(
  state: State,
  settings: DecideSettings,
  now: number,
  slackMs = 0,
): State {
  if (state.healthySince === null || state.restarts.consecutive === 0) return state;
  if (state.memoryOverSince !== null) return state;
  if (!reached(now, state.healthySince, settings.restart.stableAfterSec * 1000, slackMs))
    return state;
  return {
    ...state,
    crashLoopNotified: false,
    restarts: { ...state.restarts, consecutive: 0, nextAllowedAt: null },
  };
}
