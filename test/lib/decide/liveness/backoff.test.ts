import { describe, expect, it } from 'vitest';
import { backoffDelaySec } from '../../../../src/lib/decide/liveness/backoff.js';
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
