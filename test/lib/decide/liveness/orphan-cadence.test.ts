import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import {
  orphanScanDue,
  orphanScanEverySec,
} from '../../../../src/lib/decide/liveness/orphan-cadence.js';
import type { DecideSettings } from '../../../../src/lib/decide/types.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { reapBeforeRestart, restartAction, scenario, sec } from '../scenario.js';

const withMinAge = (minAgeSec: number): DecideSettings => {
  const s = defaultSettings();
  return { ...s, orphans: { ...s.orphans, minAgeSec } };
};
const reaps = (d: { actions: { type: string }[] }) =>
  d.actions.some((a) => a.type === 'reap-orphans' || a.type === 'report-orphans');

describe('decide: how often a healthy check looks for orphans', () => {
  it('derives from orphans.minAgeSec: a quarter of it, at most 60 s; 0 is every check', () => {
    expect(orphanScanEverySec(withMinAge(600))).toBe(60);
    expect(orphanScanEverySec(withMinAge(20))).toBe(5);
    expect(orphanScanEverySec(withMinAge(0))).toBe(0);
  });

  it('default minAgeSec (600 s): the first healthy check looks, then one every 60 s', () => {
    const s = scenario();
    const seen = [0, 30, 56, 60, 90, 120, 150].map((at) => reaps(s.check(at, 'healthy')));
    expect(seen).toEqual([true, false, false, true, false, true, false]);
    expect(s.state.orphansScannedAt).toBe(sec(120));
  });

  it('minAgeSec 0 looks on every check; minAgeSec 8 every 2 s', () => {
    const every = scenario({ settings: withMinAge(0) });
    expect([0, 0.1, 0.2].map((at) => reaps(every.check(at, 'healthy')))).toEqual([
      true,
      true,
      true,
    ]);
    const short = scenario({ settings: withMinAge(8) });
    expect([0, 1, 2, 3, 4].map((at) => reaps(short.check(at, 'healthy')))).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('a clock that went back past the last pass looks again', () => {
    const s = scenario({ state: { ...freshState(), orphansScannedAt: sec(100) } });
    expect(reaps(s.check(50, 'healthy'))).toBe(true);
    expect(s.state.orphansScannedAt).toBe(sec(50));
  });

  it('before a restart every orphan still goes, whatever the cadence', () => {
    const s = scenario();
    expect(reaps(s.check(0, 'healthy'))).toBe(true);
    const down = s.check(10, 'refused');
    expect(down.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
  });
});

describe('orphanScanDue at its edges', () => {
  it('a check at the very ms of the last pass is not due (minAgeSec above 0); a first pass always is', () => {
    const settings = withMinAge(600);
    const at = { ...freshState(), orphansScannedAt: sec(5) };
    expect(orphanScanDue(settings, at, sec(5))).toBe(false);
    expect(orphanScanDue(settings, at, sec(65))).toBe(true);
    expect(orphanScanDue(settings, freshState(), sec(5))).toBe(true);
  });
});
