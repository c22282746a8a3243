import { describe, expect, it } from 'vitest';
import { markHealthy } from '../../../../src/lib/decide/liveness/healthy.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';
import { names, scenario, sec } from '../scenario.js';

describe('markHealthy: the end of an incident', () => {
  it('a port conflict that ends is no recovery: no gateway_recovered (healthy: conflict is not an outage)', () => {
    const foreign = {
      pid: 9,
      name: 'python3',
      gateway: false,
      startTicks: 90,
      whose: 'other' as const,
    };
    const s = scenario();
    s.check(0, 'not-openclaw', { portOwner: foreign });
    const back = s.check(30, 'healthy');
    expect(names(back.events)).toEqual([]);
    expect(back.state.incident).toBeNull();
    expect(back.state.lastVerdict).toBe('healthy');
  });

  it('the downtime runs from the earlier of the incident and the first bad check', () => {
    const state: State = {
      ...freshState(),
      incident: { kind: 'down', since: sec(20) },
      unhealthySince: sec(10),
    };
    expect(markHealthy(state, sec(40), false).events).toEqual([
      { level: 'info', event: 'gateway_recovered', downtimeSec: 30, downtimeFrom: 'first_check' },
    ]);
    const later = { ...state, unhealthySince: sec(30) };
    expect(markHealthy(later, sec(40), false).events[0]).toMatchObject({ downtimeSec: 20 });
    const none = { ...state, unhealthySince: null };
    expect(markHealthy(none, sec(40), false).events[0]).toMatchObject({ downtimeSec: 20 });
  });

  it('from when it died, when OpenClaw’s records say so and it is not after the first bad check', () => {
    const died = (at: number) => ({
      ...freshState(),
      incident: {
        kind: 'down' as const,
        since: sec(20),
        died: { at: sec(at), from: 'boot_ledger' as const },
      },
      unhealthySince: sec(10),
    });
    expect(markHealthy(died(4), sec(40), false).events).toEqual([
      {
        level: 'info',
        event: 'gateway_recovered',
        downtimeSec: 36,
        downtimeFrom: 'boot_ledger',
        diedAt: '2026-11-26T00:00:04.000Z',
        seenDownSec: 30,
      },
    ]);
    expect(markHealthy(died(10), sec(40), false).events[0]).toMatchObject({
      downtimeSec: 30,
      downtimeFrom: 'boot_ledger',
    });
    // A death dated after the first bad check is not this outage's.
    expect(markHealthy(died(11), sec(40), false).events[0]).toEqual({
      level: 'info',
      event: 'gateway_recovered',
      downtimeSec: 30,
      downtimeFrom: 'first_check',
    });
  });
});
