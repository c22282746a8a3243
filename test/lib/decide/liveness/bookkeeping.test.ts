import { describe, expect, it } from 'vitest';
import {
  clampToNow,
  learnBoot,
  MAX_LEARNED_BOOT_SEC,
  rebaseClock,
} from '../../../../src/lib/decide/liveness/bookkeeping.js';
import { freshTrack } from '../../../../src/lib/decide/signals/channel-accounts.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';
import { BOOT, sec } from '../scenario.js';

const spawned = (at: number, bootSec?: number) => ({
  pid: 5,
  startTicks: 50,
  at,
  method: 'openclaw',
  ...(bootSec !== undefined ? { bootSec } : {}),
});

/** A state with every saved time at `t` (ms), as the last check at `t` left it. */
function timesAt(t: number): State {
  const track = { ...freshTrack({ channel: 'telegram', account: 'a' } as never), up: false };
  return {
    ...freshState(),
    lastCheckAt: t,
    healthySince: t,
    lastHealthyAt: t,
    unhealthySince: t,
    unresponsiveSince: t,
    startingSince: t,
    lastAlertAt: t,
    memoryHighSince: t,
    memoryOverSince: t,
    childrenHighSince: t,
    notListening: { pid: 7, since: t },
    incident: { kind: 'down', since: t },
    restarts: { total: 1, consecutive: 1, lastAt: t, nextAllowedAt: t },
    spawned: spawned(t),
    channels: {
      checkedAt: t,
      unchecked: null,
      overCap: 0,
      accounts: [{ ...track, since: t, stepAt: t }],
    },
  };
}
/** Every time rebaseClock and clampToNow may move, by name. */
const times = (s: State) => ({
  lastCheckAt: s.lastCheckAt,
  healthySince: s.healthySince,
  lastHealthyAt: s.lastHealthyAt,
  unhealthySince: s.unhealthySince,
  unresponsiveSince: s.unresponsiveSince,
  startingSince: s.startingSince,
  lastAlertAt: s.lastAlertAt,
  memoryHighSince: s.memoryHighSince,
  memoryOverSince: s.memoryOverSince,
  childrenHighSince: s.childrenHighSince,
  notListening: s.notListening?.since,
  incident: s.incident?.since,
  restartsLastAt: s.restarts.lastAt,
  nextAllowedAt: s.restarts.nextAllowedAt,
  spawned: s.spawned?.at,
  checkedAt: s.channels.checkedAt,
  trackSince: s.channels.accounts[0]?.since,
  trackStepAt: s.channels.accounts[0]?.stepAt,
});
const all = (v: number) =>
  Object.fromEntries(Object.keys(times(freshState())).map((k) => [k, v])) as ReturnType<
    typeof times
  >;

describe('learnBoot: the boot time of the gateway this watchdog started', () => {
  it('learnt once: a gateway that taught its boot time already teaches nothing more (bookkeeping: bootSec known)', () => {
    const state = { ...freshState(), slowestBootSec: 20, spawned: spawned(sec(0), 20) };
    expect(learnBoot(state, sec(90), true)).toBe(state);
  });

  it('only from the spawned gateway still alive', () => {
    const state = { ...freshState(), spawned: spawned(sec(0)) };
    expect(learnBoot(state, sec(30), false)).toBe(state);
    expect(learnBoot(freshState(), sec(30), true)).toEqual(freshState());
    const learnt = learnBoot(state, sec(30), true);
    expect(learnt.slowestBootSec).toBe(30);
    expect(learnt.spawned).toEqual(spawned(sec(0), 30));
  });

  it('keeps the slowest boot: a faster one does not lower it', () => {
    const state = { ...freshState(), slowestBootSec: 50, spawned: spawned(sec(0)) };
    expect(learnBoot(state, sec(30), true).slowestBootSec).toBe(50);
    expect(learnBoot(state, sec(70), true).slowestBootSec).toBe(70);
  });

  it(`a boot of exactly ${MAX_LEARNED_BOOT_SEC} s is learnt; a second more is noted, not learnt`, () => {
    const state = { ...freshState(), slowestBootSec: 20, spawned: spawned(sec(0)) };
    expect(learnBoot(state, sec(MAX_LEARNED_BOOT_SEC), true).slowestBootSec).toBe(
      MAX_LEARNED_BOOT_SEC,
    );
    const late = learnBoot(state, sec(MAX_LEARNED_BOOT_SEC + 1), true);
    expect(late.slowestBootSec).toBe(20);
    expect(late.spawned?.bootSec).toBe(MAX_LEARNED_BOOT_SEC + 1);
  });
});

describe('clampToNow: a wall clock that went backwards, without a boot-time clock', () => {
  it('every saved time past now is brought back to now (bookkeeping: backwards clock)', () => {
    const now = sec(100);
    const clamped = clampToNow(timesAt(sec(500)), now);
    // lastCheckAt, lastHealthyAt, lastAlertAt and nextAllowedAt are not durations' starts: kept
    // (nextAllowedAt is capped by backoff.ts).
    expect(times(clamped)).toEqual({
      ...all(now),
      lastCheckAt: sec(500),
      lastHealthyAt: sec(500),
      lastAlertAt: sec(500),
      nextAllowedAt: sec(500),
    });
  });

  it('times before now, and nulls, are left as they are', () => {
    const state = { ...timesAt(sec(50)), lastCheckAt: sec(500) };
    expect(times(clampToNow(state, sec(100)))).toEqual({ ...all(sec(50)), lastCheckAt: sec(500) });
    const empty = { ...freshState(), lastCheckAt: sec(500) };
    expect(times(clampToNow(empty, sec(100)))).toEqual(times(empty));
  });

  it('a clock that did not go back (or a first check) changes nothing', () => {
    const state = timesAt(sec(100));
    expect(clampToNow(state, sec(100))).toBe(state);
    const first = { ...timesAt(sec(500)), lastCheckAt: null };
    expect(clampToNow(first, sec(100))).toBe(first);
  });
});

describe('rebaseClock: a wall-clock jump taken out with the boot-time clock', () => {
  const at = (t: number, uptimeMs: number, bootId = BOOT): State => ({
    ...timesAt(t),
    clock: { bootId, uptimeMs },
  });

  it('a jump forward of an hour moves every saved time forward by it', () => {
    const saved = at(sec(0), 1_000_000);
    const moved = rebaseClock(saved, sec(3630), { bootId: BOOT, uptimeMs: 1_030_000 });
    expect(times(moved)).toEqual(all(sec(3600)));
  });

  it('a jump back moves them back', () => {
    const saved = at(sec(3600), 1_000_000);
    const moved = rebaseClock(saved, sec(30), { bootId: BOOT, uptimeMs: 1_030_000 });
    expect(times(moved)).toEqual(all(sec(0)));
  });

  it('up to 2 s of difference is no jump (NTP slew, rounding); past it, it is', () => {
    const saved = at(sec(0), 1_000_000);
    expect(rebaseClock(saved, sec(30) + 2000, { bootId: BOOT, uptimeMs: 1_030_000 })).toBe(saved);
    expect(rebaseClock(saved, sec(30) - 2000, { bootId: BOOT, uptimeMs: 1_030_000 })).toBe(saved);
    const moved = rebaseClock(saved, sec(30) + 2001, { bootId: BOOT, uptimeMs: 1_030_000 });
    expect(moved.lastCheckAt).toBe(sec(0) + 2001);
  });

  it('another boot, or no boot-time clock: only clamped to now', () => {
    const saved = at(sec(500), 1_000_000);
    const other = rebaseClock(saved, sec(100), { bootId: 'other', uptimeMs: 5 });
    expect(times(other)).toEqual(times(clampToNow(saved, sec(100))));
    expect(other.healthySince).toBe(sec(100));
    const none = rebaseClock(saved, sec(100), null);
    expect(none.healthySince).toBe(sec(100));
    const noneSaved = rebaseClock({ ...saved, clock: null }, sec(100), {
      bootId: BOOT,
      uptimeMs: 1,
    });
    expect(noneSaved.healthySince).toBe(sec(100));
    const firstCheck = rebaseClock({ ...saved, lastCheckAt: null }, sec(100), {
      bootId: BOOT,
      uptimeMs: 1,
    });
    expect(firstCheck).toEqual({ ...saved, lastCheckAt: null });
  });
});

describe('the saved times of a safe-mode incident follow the clock too', () => {
  const inSafeMode = (since: number, recoverAt: number | null, lastCheckAt: number): State => ({
    ...freshState(),
    lastCheckAt,
    safeMode: { since, recoverAt },
  });

  it('a clock that went backwards brings its start and its recovery try back to now', () => {
    const clamped = clampToNow(inSafeMode(sec(500), sec(400), sec(500)), sec(100));
    expect(clamped.safeMode).toEqual({ since: sec(100), recoverAt: sec(100) });
    const before = clampToNow(inSafeMode(sec(50), null, sec(500)), sec(100));
    expect(before.safeMode).toEqual({ since: sec(50), recoverAt: null });
    expect(clampToNow(freshState(), sec(100)).safeMode).toBeNull();
  });

  it('a jump taken out with the boot-time clock moves its start and its recovery try', () => {
    const saved = {
      ...inSafeMode(sec(0), sec(10), sec(0)),
      clock: { bootId: BOOT, uptimeMs: 1_000_000 },
    };
    const moved = rebaseClock(saved, sec(3630), { bootId: BOOT, uptimeMs: 1_030_000 });
    expect(moved.safeMode).toEqual({ since: sec(3600), recoverAt: sec(3610) });
    const never = { ...saved, safeMode: { since: sec(0), recoverAt: null } };
    const shifted = rebaseClock(never, sec(3630), { bootId: BOOT, uptimeMs: 1_030_000 });
    expect(shifted.safeMode).toEqual({ since: sec(3600), recoverAt: null });
    // A time not set stays not set.
    expect(shifted.healthySince).toBeNull();
    expect(shifted.restarts.nextAllowedAt).toBeNull();
  });
});
