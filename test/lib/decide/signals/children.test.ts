import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import type { Decision, GatewayTree } from '../../../../src/lib/decide/types.js';
import { names, scenario, tree } from '../scenario.js';

/** What a check does besides its regular orphan pass. */
const acts = (d: Decision) => d.actions.filter((a) => !a.type.endsWith('-orphans'));

const leaking = (relays: number): GatewayTree => ({
  ...tree(900),
  descendants: relays * 2 + 2,
  kinds: [
    { name: 'spawn-broker', count: 1, rssBytes: 70 << 20 },
    { name: 'sqlite-readonly-location', count: 1, rssBytes: 103 << 20 },
    { name: 'service-child-relay', count: relays, rssBytes: relays << 20 },
    { name: 'service-child-group-anchor', count: relays, rssBytes: relays << 20 },
  ],
});

describe('leaking children', () => {
  it('children_high once per incident, with counts by name; alert only', () => {
    const s = scenario();
    expect(s.check(0, 'healthy', { tree: leaking(24) }).events).toEqual([]); // 50: not more
    const d = s.check(60, 'healthy', { tree: leaking(30) });
    expect(acts(d)).toEqual([]);
    expect(d.status).toBe('healthy');
    expect(d.events).toEqual([
      {
        level: 'warn',
        event: 'children_high',
        count: 62,
        warnCount: 50,
        byName: [
          { name: 'service-child-group-anchor', count: 30 },
          { name: 'service-child-relay', count: 30 },
          { name: 'spawn-broker', count: 1 },
          { name: 'sqlite-readonly-location', count: 1 },
        ],
      },
    ]);
    expect(names(s.check(120, 'healthy', { tree: leaking(100) }).events)).toEqual([]);
    expect(names(s.check(180, 'healthy', { tree: leaking(3) }).events)).toEqual([]);
    expect(names(s.check(240, 'healthy', { tree: leaking(40) }).events)).toEqual(['children_high']);
  });

  it('null disables it', () => {
    const settings = defaultSettings();
    settings.children.warnCount = null;
    const s = scenario({ settings });
    expect(s.check(0, 'healthy', { tree: leaking(500) }).events).toEqual([]);
  });

  it('hysteresis: children_high once while the count hovers around warnCount, again only after 90 % of it', () => {
    const s = scenario(); // warnCount 50; leaking(n) has 2n + 2 descendants
    const alerts = [25, 24, 25, 23, 25, 22].map(
      (n, i) => names(s.check(i * 60, 'healthy', { tree: leaking(n) }).events).length,
    );
    expect(alerts).toEqual([1, 0, 0, 0, 0, 0]); // 52, 50, 52, 48, 52, 46
    expect(names(s.check(400, 'healthy', { tree: leaking(21) }).events)).toEqual([]); // 44
    expect(s.state.childrenHighSince).toBeNull();
    expect(names(s.check(460, 'healthy', { tree: leaking(25) }).events)).toEqual(['children_high']);
  });

  it('children_high names at most the eight most numerous kinds, most first, ties by name', () => {
    const kinds = Array.from({ length: 10 }, (_, i) => ({
      name: `k${i}`,
      count: i < 2 ? 10 : i + 1,
      rssBytes: 1 << 20,
    }));
    const many: GatewayTree = { ...tree(900), descendants: 80, kinds };
    const d = scenario().check(0, 'healthy', { tree: many });
    expect(d.events[0]).toMatchObject({
      byName: [
        { name: 'k0', count: 10 },
        { name: 'k1', count: 10 },
        { name: 'k9', count: 10 },
        { name: 'k8', count: 9 },
        { name: 'k7', count: 8 },
        { name: 'k6', count: 7 },
        { name: 'k5', count: 6 },
        { name: 'k4', count: 5 },
      ],
    });
  });
});
