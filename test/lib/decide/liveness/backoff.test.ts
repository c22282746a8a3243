import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import {
  backoffDelaySec,
  graceSec,
  nextAllowedAt,
  recordRestartStarted,
  resetIfStable,
} from '../../../../src/lib/decide/liveness/backoff.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { names, scenario, sec } from '../scenario.js';

describe('backoffDelaySec', () => {
  it('is 0, 60, 120, 240 ... capped at the max', () => {
    const seq = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelaySec(n, 60, 1800));
    expect(seq).toEqual([0, 60, 120, 240, 480, 960, 1800, 1800]);
  });
  it('honours a zero base (no backoff) and a small cap', () => {
    expect(backoffDelaySec(3, 0, 1800)).toBe(0);
    expect(backoffDelaySec(3, 60, 100)).toBe(100);
  });
});

describe('the backoff clock', () => {
  it('runs from the start of the restart, not from the decision (issue 24 #3)', () => {
    const s = scenario();
    expect(s.check(0, 'refused').actions.map((a) => a.type)).toContain('restart');
    // A slow stop and reap: the gateway was started 15 s after the decision, and failed.
    s.restarted(15, 'failed');
    expect(s.state.restarts.lastAt).toBe(sec(15));
    expect(s.state.restarts.nextAllowedAt).toBe(sec(75));
    // 60 s after the decision but 55 s after the start: still inside the 60 s backoff.
    const early = s.check(60 + 10, 'refused');
    expect(early.actions).toEqual([]);
    expect(names(early.events)).toContain('restart_deferred');
    const due = s.check(75, 'refused');
    expect(due.actions.map((a) => a.type)).toContain('restart');
  });
});

describe('resetIfStable: a new streak after a stable stretch', () => {
  /** Restart after every failed start, until the streak holds `n` restarts; returns the events. */
  function crashTimes(s: ReturnType<typeof scenario>, from: number, n: number) {
    const events: string[] = [];
    let t = from;
    for (let i = 0; i < n; i++) {
      let d = s.check(t, 'refused');
      while (d.status === 'deferred') d = s.check((t += 30), 'refused');
      events.push(...names(d.events));
      s.restarted(t, 'failed', { bootSec: 1, exitCode: 1 });
      t += 30;
    }
    return { events, t };
  }

  it('crash loop, stable stretch, second crash loop: crash_loop is alerted again (backoff: reset clears crashLoopNotified)', () => {
    const s = scenario();
    const first = crashTimes(s, 0, 5);
    expect(first.events.filter((e) => e === 'crash_loop')).toHaveLength(1);
    expect(s.state.crashLoopNotified).toBe(true);
    // It comes up and stays up for restart.stableAfterSec: the streak is over.
    let t = first.t + 2000;
    s.check(t, 'healthy');
    s.check((t += s.settings.restart.stableAfterSec), 'healthy');
    expect(s.state.restarts.consecutive).toBe(0);
    expect(s.state.crashLoopNotified).toBe(false);
    const second = crashTimes(s, t + 30, 5);
    expect(second.events.filter((e) => e === 'crash_loop')).toHaveLength(1);
  });

  it('the streak resets at restart.stableAfterSec of health (less the cadence slack), not a second before', () => {
    const s = scenario();
    s.check(0, 'refused');
    s.restarted(0, 'healthy', { bootSec: 10 });
    const stable = s.settings.restart.stableAfterSec;
    for (const t of [10 + stable - 5, 10 + stable - 1]) s.check(t, 'healthy');
    expect(s.state.restarts.consecutive).toBe(1);
    s.check(10 + stable, 'healthy');
    expect(s.state.restarts).toMatchObject({ consecutive: 0, nextAllowedAt: null, total: 1 });
  });

  it('a fresh streak is not reset (nothing to reset) and keeps its own state', () => {
    const state = { ...freshState(), healthySince: 0 };
    expect(resetIfStable(state, defaultSettings(), 10_000_000)).toBe(state);
  });

  it('a gateway not healthy now is not stable, however long ago its last restart', () => {
    const state = {
      ...freshState(),
      healthySince: null,
      restarts: { total: 2, consecutive: 2, lastAt: 0, nextAllowedAt: 120_000 },
    };
    expect(resetIfStable(state, defaultSettings(), 10_000_000)).toBe(state);
  });

  it('a gateway over the memory ceiling at the last check is not stable', () => {
    const state = {
      ...freshState(),
      healthySince: 0,
      memoryOverSince: 5,
      restarts: { total: 2, consecutive: 2, lastAt: 0, nextAllowedAt: 120_000 },
    };
    expect(resetIfStable(state, defaultSettings(), 10_000_000).restarts.consecutive).toBe(2);
    const calm = { ...state, memoryOverSince: null };
    expect(resetIfStable(calm, defaultSettings(), 10_000_000).restarts.consecutive).toBe(0);
  });
});

describe('nextAllowedAt and the grace', () => {
  it('a saved next restart beyond now + restart.maxDelaySec is capped there', () => {
    const settings = defaultSettings();
    const now = 1_000_000_000;
    const max = settings.restart.maxDelaySec * 1000;
    const state = (at: number | null) => ({
      ...freshState(),
      restarts: { total: 1, consecutive: 1, lastAt: 0, nextAllowedAt: at },
    });
    expect(nextAllowedAt(state(null), settings, now)).toBe(now);
    expect(nextAllowedAt(state(now + 5000), settings, now)).toBe(now + 5000);
    expect(nextAllowedAt(state(now + max + 5000), settings, now)).toBe(now + max);
  });

  it('the grace is max(probe.startupGraceSec, 2 x the slowest boot)', () => {
    const settings = defaultSettings();
    const base = settings.probe.startupGraceSec;
    expect(graceSec(settings, freshState())).toBe(base);
    expect(graceSec(settings, { ...freshState(), slowestBootSec: base / 2 - 1 })).toBe(base);
    expect(graceSec(settings, { ...freshState(), slowestBootSec: base })).toBe(2 * base);
  });

  it('recording a restart counts it, dates it and sets the delay of the next one', () => {
    const settings = defaultSettings();
    const state = { ...freshState(), healthySince: 5 };
    const next = recordRestartStarted(state, settings, 1000);
    expect(next.healthySince).toBeNull();
    const base = settings.restart.baseDelaySec * 1000;
    expect(next.restarts).toEqual({
      total: 1,
      consecutive: 1,
      lastAt: 1000,
      nextAllowedAt: 1000 + base,
    });
    const second = recordRestartStarted(next, settings, 2000);
    expect(second.restarts).toEqual({
      total: 2,
      consecutive: 2,
      lastAt: 2000,
      nextAllowedAt: 2000 + 2 * base,
    });
  });
});

describe('the backoff and the cadence slack (backoff: slack capped by the delay)', () => {
  /** One restart started at 0 s; its delay ends at `delaySec`; the previous check at `prevAt`. */
  function after(delaySec: number, prevAt: number) {
    const settings = defaultSettings();
    settings.restart.baseDelaySec = delaySec;
    return scenario({
      settings,
      state: {
        ...freshState(),
        lastCheckAt: sec(prevAt),
        restarts: { total: 1, consecutive: 1, lastAt: sec(0), nextAllowedAt: sec(delaySec) },
      },
    });
  }

  it('a 1 s delay with checks 2.85 s apart acts at most a tenth of the delay early, not a tenth of the gap (soak seed 5: two starts 804 ms apart)', () => {
    // The cadence slack of this check would be 285 ms; a tenth of the delay is 100 ms.
    const early = after(1, -2).check(0.85, 'refused');
    expect(early.status).toBe('deferred');
    expect(names(early.events)).toContain('restart_deferred');
    expect(after(1, -2).check(0.9, 'refused').actions.at(-1)).toMatchObject({
      type: 'restart',
    });
  });

  it('a 60 s delay on a 30 s cadence keeps the whole 3 s slack: restarted at 57 s, deferred before', () => {
    expect(after(60, 27).check(57, 'refused').actions.at(-1)).toMatchObject({ type: 'restart' });
    expect(after(60, 27).check(56.9, 'refused').status).toBe('deferred');
  });

  it('no restart time known: no slack at all', () => {
    const s = scenario({
      state: {
        ...freshState(),
        lastCheckAt: sec(0),
        restarts: { total: 1, consecutive: 1, lastAt: null, nextAllowedAt: sec(30) },
      },
    });
    expect(s.check(29.5, 'refused').status).toBe('deferred');
  });
});
