import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { afterRestart } from '../../../src/lib/decide/after-restart.js';
import { decide } from '../../../src/lib/decide/decide.js';
import { applyPause } from '../../../src/lib/decide/pause.js';
import type { BootClock, GatewayProc, Observation } from '../../../src/lib/decide/types.js';
import type { Verdict } from '../../../src/lib/probe/types.js';
import { freshState, type State } from '../../../src/lib/store/state.js';

const settings = defaultSettings(); // hung after 60 s, grace 120 s, backoff 60 s
const T0 = Date.parse('2026-11-26T00:00:00Z');
const BOOT = 'b5a1c0de-0000-4000-8000-000000000001';
const UP0 = 5_000_000;

/** One check: wall clock at T0 + wallSec, boot-time clock at UP0 + monoSec. */
function obs(
  wallSec: number,
  verdict: Verdict,
  { monoSec = wallSec, gateways = [] as GatewayProc[], bootId = BOOT } = {},
): Observation {
  const clock: BootClock = { bootId, uptimeMs: UP0 + monoSec * 1000 };
  return {
    now: T0 + wallSec * 1000,
    clock,
    probe: { verdict, startup: verdict === 'starting' ? 'starting' : null, reason: verdict, ms: 1 },
    gateways,
    portOwner: null,
  };
}
const owner = { pid: 7, name: 'openclaw-gateway', gateway: true, startTicks: 70 };
const hungObs = (wallSec: number, monoSec = wallSec) => ({
  ...obs(wallSec, 'unresponsive', {
    monoSec,
    gateways: [
      { pid: 7, startTicks: 70, ageSec: 5000 + monoSec, title: 'openclaw-gateway', ours: true },
    ],
  }),
  portOwner: owner,
});
const names = (d: { events: { event: string }[] }) => d.events.map((e) => e.event);

describe('decide: wall-clock jumps (durations on the boot-time clock)', () => {
  it('wall +1 h between two checks while the boot-time clock advanced 30 s → still unresponsive, not hung', () => {
    const a = decide(settings, freshState(), hungObs(0));
    expect(a.status).toBe('unresponsive');
    expect(a.state.clock).toEqual({ bootId: BOOT, uptimeMs: UP0 });
    const b = decide(settings, a.state, hungObs(3600 + 30, 30));
    expect(b.status).toBe('unresponsive');
    expect(b.actions).toEqual([]);
    // The saved times moved with the wall clock: 30 s more (60 s in all) is hung.
    const c = decide(settings, b.state, hungObs(3600 + 60, 60));
    expect(c.status).toBe('hung');
  });

  it('starting (an in-place restart draining) across a +1 h jump is not killed', () => {
    const a = decide(settings, freshState(), obs(0, 'starting'));
    const b = decide(settings, a.state, obs(3600 + 30, 'starting', { monoSec: 30 }));
    expect(b).toMatchObject({ status: 'starting', actions: [] });
  });

  it('wall −1 h: backoff still ends 60 s later on the boot-time clock', () => {
    const down = decide(settings, freshState(), obs(0, 'refused'));
    expect(down.actions.at(-1)).toMatchObject({ type: 'restart' });
    const failed = afterRestart(
      down.state,
      {
        method: 'command',
        pid: null,
        startTicks: null,
        startedAt: T0,
        endedAt: T0,
        result: 'failed',
        exitCode: 1,
      },
      'crashed',
    ).state;
    const early = decide(settings, failed, obs(-3600 + 30, 'refused', { monoSec: 30 }));
    expect(early.status).toBe('deferred');
    const due = decide(settings, early.state, obs(-3600 + 61, 'refused', { monoSec: 61 }));
    expect(due.actions.at(-1)).toMatchObject({ type: 'restart' });
  });

  it('another boot: the boot-time clock says nothing, the wall clock is used', () => {
    const a = decide(settings, freshState(), hungObs(0));
    const b = decide(settings, a.state, {
      ...hungObs(61, 1),
      clock: { bootId: 'other', uptimeMs: 1000 },
    });
    expect(b.status).toBe('hung');
  });
});

describe('decide: downtime and waiting', () => {
  it('downtime runs from the first check that saw it not healthy (unresponsive before hung counts)', () => {
    let s: State = freshState();
    for (const t of [0, 30]) s = decide(settings, s, hungObs(t)).state;
    const hung = decide(settings, s, hungObs(60));
    expect(hung.status).toBe('hung');
    const outcome = {
      method: 'command' as const,
      pid: 8,
      startTicks: 80,
      startedAt: T0 + 62_000,
      endedAt: T0 + 108_000,
      result: 'healthy' as const,
    };
    const after = afterRestart(hung.state, outcome, 'hung');
    expect(after.events.find((e) => e.event === 'gateway_recovered')).toMatchObject({
      downtimeSec: 108,
    });
  });

  it('checks that wait (booting elsewhere, then down) count toward downtime when it recovers at a check', () => {
    const young: GatewayProc = {
      pid: 9,
      startTicks: 90,
      ageSec: 5,
      title: 'openclaw-gateway',
      ours: false,
    };
    let s = decide(settings, freshState(), obs(0, 'refused', { gateways: [young] })).state;
    s = decide(settings, s, obs(30, 'refused', { gateways: [{ ...young, ageSec: 35 }] })).state;
    const down = decide(settings, s, obs(130, 'refused'));
    expect(names(down)).toContain('gateway_down');
    const back = decide(settings, down.state, obs(149, 'healthy'));
    expect(back.events).toEqual([{ level: 'info', event: 'gateway_recovered', downtimeSec: 149 }]);
    expect(back.state.unhealthySince).toBeNull();
  });

  it('a stretch of waiting says why once per reason: starting, unresponsive, backoff', () => {
    let s: State = freshState();
    const seen: string[] = [];
    for (const t of [0, 30, 60]) {
      const d = decide(settings, s, obs(t, 'starting'));
      expect(d.status).toBe('starting');
      seen.push(...names(d));
      s = d.state;
    }
    expect(seen).toEqual(['waiting']);
    const d = decide(settings, freshState(), obs(0, 'starting'));
    expect(d.events[0]).toMatchObject({ level: 'info', event: 'waiting', reason: 'starting' });
    // Deferred by backoff: said once, beside restart_deferred.
    const back: State = {
      ...freshState(),
      restarts: { total: 1, consecutive: 1, lastAt: T0, nextAllowedAt: T0 + 60_000 },
    };
    const one = decide(settings, back, obs(10, 'refused'));
    const two = decide(settings, one.state, obs(20, 'refused'));
    expect(names(one)).toEqual(['gateway_down', 'restart_deferred', 'waiting']);
    expect(names(two)).toEqual(['restart_deferred']);
    expect(one.events.at(-1)).toMatchObject({ reason: 'backoff' });
  });
});

describe('decide: a port holder nobody can see', () => {
  it('port_conflict once, however many checks find it', () => {
    let s: State = freshState();
    const all: string[] = [];
    for (const t of [0, 61, 91, 121, 151]) {
      const d = decide(settings, s, obs(t, 'unresponsive'));
      expect(d.actions).toEqual([]);
      all.push(...names(d));
      s = d.state;
    }
    expect(all.filter((n) => n === 'port_conflict')).toHaveLength(1);
  });
});

describe('applyPause: a paused check says only action_skipped', () => {
  it('held back by backoff as well: no restart_deferred, no waiting(backoff), one action_skipped', () => {
    const saved: State = {
      ...freshState(),
      incident: { kind: 'down', since: T0 },
      unhealthySince: T0,
      restarts: { total: 1, consecutive: 1, lastAt: T0, nextAllowedAt: T0 + 60_000 },
    };
    const d = applyPause(
      decide(settings, saved, obs(10, 'refused')),
      { since: T0, until: T0 + 3600_000, reason: 'upgrade' },
      T0 + 10_000,
      saved,
    );
    expect(names(d)).toEqual(['action_skipped']);
    expect(d.events[0]).toMatchObject({ reason: 'paused', actions: ['restart'] });
    expect(d.state.restarts).toEqual(saved.restarts);
  });
});
