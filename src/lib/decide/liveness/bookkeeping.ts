import { mapChannelTimes } from '../signals/channel-accounts.js';
import type { State } from '../../store/state.js';
import { secs } from '../../units.js';
import type { BootClock } from '../types.js';

/**
 * The longest boot one gateway can teach. The time to healthy is measured from the spawn to the
 * first healthy probe (the restart's verify, or a later check when verify ended pending): past
 * this, the checks saw it late (cron off, a suspended host), it did not take that long to boot.
 */
export const MAX_LEARNED_BOOT_SEC = 600;

/** A restart's verify measured the boot on the boot-time clock (null: no such clock); `stalled`:
 * verify itself was stalled on the way (SIGSTOP, a suspended host), so the time is not the boot's. */
export interface BootSample {
  bootMs: number | null;
  stalled: boolean;
}

/**
 * A gateway this watchdog started is healthy for the first time: learn how long it took. Only
 * when the healthy gateway is that process (`spawnedAlive`: its pid and start time still match;
 * a restart's verify knows it is), so that a gateway started by hand days later teaches nothing,
 * and only a boot of at most MAX_LEARNED_BOOT_SEC (a longer one is noted, not learned).
 */
export function learnBoot(
  state: State,
  now: number,
  spawnedAlive: boolean,
  sample?: BootSample,
): State {
  const spawned = state.spawned;
  if (!spawned || spawned.bootSec !== undefined || !spawnedAlive) return state;
  const bootSec = secs(sample?.bootMs ?? now - spawned.at);
  const learned = bootSec <= MAX_LEARNED_BOOT_SEC && !sample?.stalled;
  return {
    ...state,
    spawned: { ...spawned, bootSec },
    slowestBootSec: learned ? Math.max(state.slowestBootSec ?? 0, bootSec) : state.slowestBootSec,
  };
}

/** Below this, wall and boot-time clocks are taken to agree (NTP slews, rounding). */
const JUMP_TOLERANCE_MS = 2000;

/**
 * Durations that decide a kill must not follow wall-clock jumps. When the saved state carries the
 * boot-time clock of the last check and the boot is the same, the wall clock's jump since then
 * (wall elapsed minus boot-time elapsed) is taken out of every saved time: a jump forward no
 * longer turns "unresponsive" into "hung", a jump back no longer stretches backoff. Otherwise a
 * clock that went backwards only must not make durations negative: saved times are clamped to now.
 */
export function rebaseClock(state: State, now: number, clock: BootClock | null): State {
  const saved = state.clock;
  if (saved && clock && saved.bootId === clock.bootId && state.lastCheckAt !== null) {
    const jump = now - state.lastCheckAt - (clock.uptimeMs - saved.uptimeMs);
    if (Math.abs(jump) > JUMP_TOLERANCE_MS) return shiftTimes(state, (t) => t + jump);
    return state;
  }
  return clampToNow(state, now);
}

/** A clock that went backwards must not make durations negative: clamp saved times to now. */
export function clampToNow(state: State, now: number): State {
  // No last check (a first one): nothing says the clock went back.
  if ((state.lastCheckAt ?? now) <= now) return state;
  const c = (t: number | null) => (t === null ? null : Math.min(t, now));
  return {
    ...state,
    healthySince: c(state.healthySince),
    unhealthySince: c(state.unhealthySince),
    unresponsiveSince: c(state.unresponsiveSince),
    startingSince: c(state.startingSince),
    memoryHighSince: c(state.memoryHighSince),
    memoryOverSince: c(state.memoryOverSince),
    childrenHighSince: c(state.childrenHighSince),
    notListening: state.notListening && {
      ...state.notListening,
      since: Math.min(state.notListening.since, now),
    },
    incident: state.incident && { ...state.incident, since: Math.min(state.incident.since, now) },
    restarts: { ...state.restarts, lastAt: c(state.restarts.lastAt) },
    spawned: state.spawned && { ...state.spawned, at: Math.min(state.spawned.at, now) },
    channels: mapChannelTimes(state.channels, (t) => Math.min(t, now)),
    // The recovery try too: one left in the future would hold the next try back that much longer.
    safeMode: state.safeMode && {
      since: Math.min(state.safeMode.since, now),
      recoverAt: c(state.safeMode.recoverAt),
    },
  };
}

function shiftTimes(state: State, f: (t: number) => number): State {
  const c = (t: number | null) => (t === null ? null : f(t));
  return {
    ...state,
    lastCheckAt: c(state.lastCheckAt),
    healthySince: c(state.healthySince),
    lastHealthyAt: c(state.lastHealthyAt),
    unhealthySince: c(state.unhealthySince),
    unresponsiveSince: c(state.unresponsiveSince),
    startingSince: c(state.startingSince),
    lastAlertAt: c(state.lastAlertAt),
    memoryHighSince: c(state.memoryHighSince),
    memoryOverSince: c(state.memoryOverSince),
    childrenHighSince: c(state.childrenHighSince),
    notListening: state.notListening && {
      ...state.notListening,
      since: f(state.notListening.since),
    },
    incident: state.incident && { ...state.incident, since: f(state.incident.since) },
    restarts: {
      ...state.restarts,
      lastAt: c(state.restarts.lastAt),
      nextAllowedAt: c(state.restarts.nextAllowedAt),
    },
    spawned: state.spawned && { ...state.spawned, at: f(state.spawned.at) },
    channels: mapChannelTimes(state.channels, f),
    safeMode: state.safeMode && {
      since: f(state.safeMode.since),
      recoverAt: c(state.safeMode.recoverAt),
    },
  };
}
