import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import type { Decision } from '../../../../src/lib/decide/types.js';
import { names, scenario, tree } from '../scenario.js';

/** What a check does besides its regular orphan pass. */
const acts = (d: Decision) => d.actions.filter((a) => !a.type.endsWith('-orphans'));

const loop = (p99: number, max = p99) => ({ delayP99Ms: p99, delayMaxMs: max, degraded: false });

describe('event-loop lag', () => {
  it('alerts on afterChecks lagging checks in a row, once per stretch, never acting', () => {
    const s = scenario();
    const seen = (at: number, eventLoop: Record<string, unknown> | null) => {
      const d = s.check(at, 'healthy', { eventLoop });
      expect(acts(d)).toEqual([]);
      expect(d.status).toBe('healthy');
      return names(d.events);
    };
    expect(seen(0, loop(1500))).toEqual([]);
    expect(seen(60, loop(20, 4000))).toEqual([]); // max alone counts
    const third = s.check(120, 'healthy', { eventLoop: loop(1200, 2000) });
    expect(third.events).toEqual([
      { level: 'warn', event: 'event_loop_lag', p99Ms: 1200, maxMs: 2000, warnMs: 1000, checks: 3 },
    ]);
    expect(seen(180, loop(1500))).toEqual([]);
    expect(seen(240, loop(5000))).toEqual([]);
    // One check without lag ends the stretch; a new stretch alerts again after three.
    expect(seen(300, loop(12, 20))).toEqual([]);
    expect(seen(360, loop(1500))).toEqual([]);
    expect(seen(420, null)).toEqual([]); // no block: no lag
    expect(seen(480, loop(1500))).toEqual([]);
    expect(seen(540, loop(1500))).toEqual([]);
    expect(seen(600, loop(1500))).toEqual(['event_loop_lag']);
  });

  it('a stretch ends at a check that is not healthy, and at a new gateway', () => {
    const s = scenario();
    const lag = (at: number, t = tree(100)) =>
      names(s.check(at, 'healthy', { eventLoop: loop(1500), tree: t }).events).filter(
        (e) => e !== 'gateway_recovered',
      );
    expect([lag(0), lag(60)]).toEqual([[], []]);
    s.check(120, 'refused'); // the old gateway went down; what comes back is cold
    expect([lag(180), lag(240)]).toEqual([[], []]);
    // A new gateway (pid + start time) starts its own count.
    const other = { ...tree(100), pid: 5151, startTicks: 999 };
    expect([lag(300, other), lag(360, other), lag(420, other)]).toEqual([
      [],
      [],
      ['event_loop_lag'],
    ]);
  });

  it('null disables it', () => {
    const settings = defaultSettings();
    settings.eventLoop.warnMs = null;
    const s = scenario({ settings });
    for (const at of [0, 60, 120, 180])
      expect(s.check(at, 'healthy', { eventLoop: loop(9e6) }).events).toEqual([]);
  });

  it('p99 alone above warnMs is lag (no max reported)', () => {
    const s = scenario();
    const p99Only = { delayP99Ms: 1500, degraded: false };
    for (const at of [0, 60])
      expect(s.check(at, 'healthy', { eventLoop: p99Only }).events).toEqual([]);
    expect(s.check(120, 'healthy', { eventLoop: p99Only }).events).toMatchObject([
      { event: 'event_loop_lag', p99Ms: 1500, maxMs: null, checks: 3 },
    ]);
  });

  it('a delay that is no finite number (a string, 1e309 parsed to Infinity) is no lag', () => {
    const s = scenario();
    const odd = { delayP99Ms: '5000', delayMaxMs: JSON.parse('1e309') as number, degraded: false };
    for (const at of [0, 60, 120, 180]) {
      expect(s.check(at, 'healthy', { eventLoop: odd }).events).toEqual([]);
      expect(s.state.lagChecks).toBe(0);
    }
  });

  it('a delay of exactly warnMs is no lag; a millisecond more is', () => {
    const s = scenario(); // warnMs 1000, afterChecks 3
    for (const at of [0, 60, 120, 180])
      expect(s.check(at, 'healthy', { eventLoop: loop(1000) }).events).toEqual([]);
    expect(s.state.lagChecks).toBe(0);
    for (const at of [240, 300]) s.check(at, 'healthy', { eventLoop: loop(1001) });
    expect(names(s.check(360, 'healthy', { eventLoop: loop(1001) }).events)).toEqual([
      'event_loop_lag',
    ]);
  });
});
