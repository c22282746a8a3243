import type { State } from '../store/state.js';

const secs = (ms: number) => Math.round(ms / 100) / 10;

/** A gateway this watchdog started is healthy for the first time: learn how long it took. */
export function learnBoot(state: State, now: number): State {
  const spawned = state.spawned;
  if (!spawned || spawned.bootSec !== undefined) return state;
  const bootSec = secs(now - spawned.at);
  return {
    ...state,
    spawned: { ...spawned, bootSec },
    slowestBootSec: Math.max(state.slowestBootSec ?? 0, bootSec),
  };
}

/** A clock that went backwards must not make durations negative: clamp saved times to now. */
export function clampToNow(state: State, now: number): State {
  if (state.lastCheckAt === null || state.lastCheckAt <= now) return state;
  const c = (t: number | null) => (t === null ? null : Math.min(t, now));
  return {
    ...state,
    healthySince: c(state.healthySince),
    unresponsiveSince: c(state.unresponsiveSince),
    startingSince: c(state.startingSince),
    notListening: state.notListening && {
      ...state.notListening,
      since: Math.min(state.notListening.since, now),
    },
    incident: state.incident && { ...state.incident, since: Math.min(state.incident.since, now) },
    restarts: { ...state.restarts, lastAt: c(state.restarts.lastAt) },
    spawned: state.spawned && { ...state.spawned, at: Math.min(state.spawned.at, now) },
  };
}
