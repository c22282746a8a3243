import { describe, expect, it } from 'vitest';
import { stopVerdict } from '../../../../src/lib/decide/openclaw/clean-stop.js';
import { custodyText, custodyVerdict } from '../../../../src/lib/decide/openclaw/custody.js';

const look = (over: Partial<Parameters<typeof stopVerdict>[0]>) =>
  stopVerdict({
    answers: true,
    sinceTermMs: 0,
    silentMs: 0,
    minWaitMs: 10_000,
    silentGraceMs: 10_000,
    budgetMs: 335_000,
    ...over,
  });

describe('a stop after SIGTERM (decide/openclaw/clean-stop.ts)', () => {
  it('a gateway that answers is never killed: waited for up to its own budget, then left', () => {
    expect(look({ sinceTermMs: 5_000 })).toBe('wait');
    expect(look({ sinceTermMs: 300_000 })).toBe('wait');
    expect(look({ sinceTermMs: 335_000 })).toBe('leave');
  });

  it('one that does not answer: SIGKILL after the least wait and the silent grace', () => {
    expect(look({ answers: false, sinceTermMs: 5_000, silentMs: 5_000 })).toBe('wait');
    expect(look({ answers: false, sinceTermMs: 10_000, silentMs: 10_000 })).toBe('kill');
    // Answered until a moment ago (closing its listener at the end of a drain): not yet.
    expect(look({ answers: false, sinceTermMs: 60_000, silentMs: 2_000 })).toBe('wait');
    expect(
      look({ answers: false, sinceTermMs: 60_000, silentMs: 10_000, minWaitMs: 300_000 }),
    ).toBe('wait');
  });
});

describe('write custody before a stop (decide/openclaw/custody.ts)', () => {
  it('none or unknown: proceed; held: wait up to the bound, then give up', () => {
    expect(custodyVerdict(null, 0, 600_000)).toBe('proceed');
    expect(custodyVerdict([], 0, 600_000)).toBe('proceed');
    const held = [{ phase: 'backup', count: 1 }];
    expect(custodyVerdict(held, 10_000, 600_000)).toBe('wait');
    expect(custodyVerdict(held, 600_000, 600_000)).toBe('give-up');
    expect(custodyText([...held, { phase: 'migration', count: 2 }])).toBe(
      'backup (1), migration (2)',
    );
  });
});
