import { describe, expect, it } from 'vitest';
import { backoffDelaySec } from '../../../../src/lib/decide/liveness/backoff.js';

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
