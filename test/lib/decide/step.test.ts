import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { gracefulRestart } from '../../../src/lib/decide/signals/graceful-restart.js';
import type { Step } from '../../../src/lib/decide/step.js';
import { freshState, type State } from '../../../src/lib/store/state.js';
import { gatewayOwner, gw, names, obs, restartAction, scenario, sec } from './scenario.js';

const target = { pid: 4242, startTicks: 777 };

function step(at: number, state: State): Step {
  const o = obs(at, 'healthy');
  return { settings: defaultSettings(), obs: o, now: sec(at), state, events: [], slackMs: 0 };
}

describe('gracefulRestart', () => {
  it('asks for one graceful restart of the target, then holds a second one under backoff', () => {
    const first = gracefulRestart(step(0, freshState()), 'memory', 'rss 3 GB', target, 300);
    expect(first.status).toBe('degraded');
    expect(first.actions).toEqual([
      {
        type: 'graceful-restart',
        reason: 'memory',
        target,
        drainSec: 300,
        probeTimeoutMs: 2000,
      },
    ]);
    expect(first.state.restarts.consecutive).toBe(1);

    // Over the ceiling again right after: the backoff holds it (held: the check goes on, exit 0).
    const again = gracefulRestart(step(30, first.state), 'memory', 'rss 3 GB', target, 300);
    expect(again).toMatchObject({ actions: [], status: 'degraded', exitCode: 0, held: true });
    expect(again.events.map((e) => e.event)).toEqual(['restart_deferred']);
    expect(again.state.waiting).toBe('backoff');
  });
});

describe('openIncident after a port conflict', () => {
  const foreign = {
    pid: 9,
    name: 'python3',
    gateway: false,
    startTicks: 90,
    whose: 'other' as const,
  };

  it('a port conflict, then the port falls silent: the outage is alerted (gateway_down) and restarted (step: conflict is not an outage)', () => {
    const s = scenario();
    const c = s.check(0, 'not-openclaw', { portOwner: foreign });
    expect(c.state.incident).toEqual({ kind: 'conflict', since: sec(0) });
    const down = s.check(30, 'refused');
    expect(down.status).toBe('down');
    expect(names(down.events)).toEqual(['gateway_down']);
    expect(down.state.incident).toEqual({ kind: 'down', since: sec(0) });
    expect(down.actions.at(-1)).toEqual(restartAction('crashed'));
  });

  it('a port conflict, then our gateway hangs: gateway_hung is alerted (step: conflict is not an outage)', () => {
    const s = scenario();
    s.check(0, 'not-openclaw', { portOwner: foreign });
    const owner = gatewayOwner(7, 70);
    s.check(30, 'unresponsive', { gateways: [gw(7, 1000)], portOwner: owner });
    const hung = s.check(90, 'unresponsive', { gateways: [gw(7, 1060)], portOwner: owner });
    expect(hung.status).toBe('hung');
    expect(names(hung.events)).toEqual(['gateway_hung']);
    expect(hung.state.incident?.kind).toBe('hung');
  });

  it('an open outage is alerted once: a second gateway_down is not said', () => {
    const s = scenario();
    s.check(0, 'refused');
    s.restarted(0, 'failed', { bootSec: 1, exitCode: 1 });
    const again = s.check(90, 'refused');
    expect(names(again.events)).toEqual([]);
    expect(again.state.incident).toEqual({ kind: 'down', since: sec(0) });
  });
});

describe('step: what an incident says and names', () => {
  it('a gracefully held restart says restart_deferred as a warning', () => {
    const state = {
      ...freshState(),
      healthySince: sec(0),
      restarts: { total: 1, consecutive: 1, lastAt: sec(0), nextAllowedAt: sec(60) },
    };
    const s = step(10, state);
    gracefulRestart(s, 'memory', 'too big', target, 30);
    expect(s.events).toEqual([
      expect.objectContaining({ level: 'warn', event: 'restart_deferred' }),
    ]);
  });

  it('a hung gateway’s last log write is not its death: its downtime counts from the first bad check', () => {
    const s = scenario();
    s.check(0, 'healthy');
    const seen = { gateways: [gw(7, 1000)], portOwner: gatewayOwner(7, 70), gatewayLogAt: sec(10) };
    s.check(30, 'unresponsive', seen);
    s.check(90, 'unresponsive', seen);
    expect(s.state.incident).toEqual({ kind: 'hung', since: sec(30) });
  });

  it('a crash loop names the update only within update.maxSec of it', () => {
    const settings = defaultSettings();
    const loopAt = (sinceUpdateSec: number) => {
      const state: State = {
        ...freshState(),
        restarts: { total: 4, consecutive: 4, lastAt: sec(0), nextAllowedAt: sec(0) },
        update: {
          rowAt: sec(-1),
          at: sec(100 - sinceUpdateSec),
          from: '1.0',
          to: '2.0',
          failedSaid: false,
        },
      };
      const d = scenario({ settings, state }).check(100, 'refused');
      return d.events.find((e) => e.event === 'crash_loop');
    };
    const max = settings.update.maxSec;
    expect(loopAt(max - 1)).toMatchObject({ afterUpdate: '2.0' });
    expect(loopAt(max)).not.toHaveProperty('afterUpdate');
    expect(loopAt(max + 3600)).not.toHaveProperty('afterUpdate');
  });
});

describe('step: two signals held by backoff in one check', () => {
  it('say restart_deferred once (memory, then a channel)', () => {
    const state = {
      ...freshState(),
      healthySince: sec(0),
      restarts: { total: 1, consecutive: 1, lastAt: sec(0), nextAllowedAt: sec(60) },
    };
    const s = step(10, state);
    expect(gracefulRestart(s, 'memory', 'too big', target, 30).held).toBe(true);
    expect(gracefulRestart(s, 'channel', 'telegram down', target, 30).held).toBe(true);
    expect(names(s.events)).toEqual(['restart_deferred']);
  });
});
