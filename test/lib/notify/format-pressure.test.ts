import { describe, expect, it } from 'vitest';
import { ALERT_EVENTS, describeEvent } from '../../../src/lib/notify/describe.js';

describe('pressure alerts', () => {
  it('say what is high, against which level, by name only', () => {
    expect(
      describeEvent({
        level: 'warn',
        event: 'memory_high',
        rssMB: 2300,
        warnAboveMB: 2144,
        restartAboveMB: 19_284,
        top: [
          { name: 'gateway', count: 1, rssMB: 1900 },
          { name: 'service-child-relay', count: 40, rssMB: 400 },
        ],
      }),
    ).toBe(
      'memory high: gateway and its children use 2300 MiB RSS, above the warning level 2144 MiB (gateway 1900 MiB, service-child-relay ×40 400 MiB)',
    );
    expect(
      describeEvent({
        level: 'warn',
        event: 'children_high',
        count: 62,
        warnCount: 50,
        byName: [{ name: 'service-child-relay', count: 30 }],
      }),
    ).toBe(
      'children high: the gateway has 62 descendant processes (more than 50): service-child-relay ×30',
    );
    expect(
      describeEvent({
        level: 'warn',
        event: 'event_loop_lag',
        p99Ms: 1200,
        maxMs: null,
        warnMs: 1000,
        checks: 3,
      }),
    ).toBe('event loop lag: p99 1200 ms above 1000 ms on 3 checks in a row');
    for (const e of ['memory_high', 'children_high', 'event_loop_lag'])
      expect(ALERT_EVENTS.has(e)).toBe(true);
  });
});
