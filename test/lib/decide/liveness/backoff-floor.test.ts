import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { withBackoffFloor } from '../../../../src/lib/decide/liveness/backoff-floor.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { validateState } from '../../../../src/lib/store/state-validate.js';
import { names, obs, scenario, sec } from '../scenario.js';

describe('the backoff floor across a state reset (issue 24, soak seed 12)', () => {
  it('a state reset right after a restart: the next crash waits baseDelaySec from that restart', () => {
    const s = scenario();
    expect(s.check(0, 'refused').actions.map((a) => a.type)).toContain('restart');
    s.restarted(2, 'healthy', { bootSec: 1 });
    // state.json torn: the check starts from a fresh state; the log still has the restart at 2 s.
    s.state = freshState();
    const early = s.check(10, 'refused', { restartLogged: sec(2) });
    expect(early.actions).toEqual([]);
    expect(names(early.events)).toContain('restart_deferred');
    expect(early.events.find((e) => e.event === 'restart_deferred')).toMatchObject({
      nextAttemptAt: new Date(sec(62)).toISOString(),
    });
    expect(early.state.restarts).toMatchObject({ lastAt: sec(2), nextAllowedAt: sec(62) });
    // The floor was saved: the next check needs no log to hold it.
    expect(s.check(40, 'refused').actions).toEqual([]);
    expect(s.check(62, 'refused').actions.map((a) => a.type)).toContain('restart');
  });

  it('without the log (the old behaviour) the same check restarts at once', () => {
    const s = scenario({ state: freshState() });
    expect(s.check(10, 'refused', { restartLogged: null }).actions.map((a) => a.type)).toContain(
      'restart',
    );
  });

  it('a logged restart older than baseDelaySec changes nothing', () => {
    const settings = defaultSettings();
    const state = freshState();
    expect(withBackoffFloor(state, settings, obs(100, 'refused', { restartLogged: sec(40) }))).toBe(
      state,
    );
    expect(withBackoffFloor(state, settings, obs(100, 'refused', { restartLogged: sec(39) }))).toBe(
      state,
    );
  });

  it('a state that still has its restart time is left as it is (the log is not needed)', () => {
    const settings = defaultSettings();
    const state = freshState();
    const kept = {
      ...state,
      restarts: { total: 4, consecutive: 3, lastAt: sec(0), nextAllowedAt: sec(240) },
    };
    expect(withBackoffFloor(kept, settings, obs(10, 'refused', { restartLogged: sec(5) }))).toBe(
      kept,
    );
  });

  it('a logged time in the future (a clock that went back, a forged line) is ignored: no floor', () => {
    const settings = defaultSettings();
    const state = freshState();
    expect(
      withBackoffFloor(state, settings, obs(10, 'refused', { restartLogged: sec(3600) })),
    ).toBe(state);
    // a down gateway is restarted at once, as with no logged restart
    const s = scenario({ state: freshState() });
    const first = s.check(10, 'refused', { restartLogged: sec(3600) });
    expect(first.actions.map((a) => a.type)).toContain('restart');
  });

  it('a logged time equal to now still holds the floor (only a later one is ignored)', () => {
    const next = withBackoffFloor(
      freshState(),
      defaultSettings(),
      obs(10, 'refused', { restartLogged: sec(10) }),
    );
    expect(next.restarts).toEqual({
      total: 1,
      consecutive: 1,
      lastAt: sec(10),
      nextAllowedAt: sec(70),
    });
  });

  it('counts as one restart of the streak: the restart after the floor waits 2 x base', () => {
    const s = scenario({ state: freshState() });
    s.check(10, 'refused', { restartLogged: sec(2) });
    const due = s.check(62, 'refused');
    expect(due.actions.map((a) => a.type)).toContain('restart');
    expect(due.state.restarts).toMatchObject({ consecutive: 2, nextAllowedAt: sec(62 + 120) });
  });

  it('a state.json whose restart time was damaged but whose backoff time survived keeps the later of the two: the saved 240 s, not the log’s 60 s floor (backoff-floor: ?? -> &&)', () => {
    // restarts.lastAt of the wrong type is reset alone (state_reset restarts.lastAt); the rest of
    // the streak loads.
    const raw = {
      ...freshState(),
      restarts: { total: 4, consecutive: 3, lastAt: 'torn', nextAllowedAt: sec(245) },
    };
    const { state, reset } = validateState(raw, freshState());
    expect(reset).toEqual(['restarts.lastAt']);
    expect(state.restarts).toMatchObject({ lastAt: null, nextAllowedAt: sec(245) });
    const floored = withBackoffFloor(
      state,
      defaultSettings(),
      obs(10, 'refused', { restartLogged: sec(5) }),
    );
    expect(floored.restarts).toEqual({
      total: 4,
      consecutive: 3,
      lastAt: sec(5),
      nextAllowedAt: sec(245),
    });
    const s = scenario({ state });
    s.check(10, 'refused', { restartLogged: sec(5) });
    expect(s.check(70, 'refused').actions).toEqual([]);
    expect(s.check(245, 'refused').actions.map((a) => a.type)).toContain('restart');
  });
});
