import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { afterRestart } from '../../../src/lib/decide/liveness/after-restart.js';
import { decide } from '../../../src/lib/decide/decide.js';
import { applyPause } from '../../../src/lib/decide/on-purpose/pause.js';
import type { GatewayProc } from '../../../src/lib/decide/types.js';
import { freshState, type State } from '../../../src/lib/store/state.js';
import { BOOT, T0, UP0, gatewayOwner, obs, scenario, type Seen } from './scenario.js';

const settings = defaultSettings(); // hung after 60 s, grace 120 s, backoff 60 s
const names = (d: { events: { event: string }[] }) => d.events.map((e) => e.event);
/** Our gateway, hung on the port for a long time (its age runs on the boot-time clock). */
const hung = (monoSec: number): Seen => ({
  monoSec,
  gateways: [
    { pid: 7, startTicks: 70, ageSec: 5000 + monoSec, title: 'openclaw-gateway', ours: true },
  ],
  portOwner: gatewayOwner(7, 70),
});

describe('decide: wall-clock jumps (durations on the boot-time clock)', () => {
  it('wall +1 h between two checks while the boot-time clock advanced 30 s → still unresponsive, not hung', () => {
    const s = scenario({ bootClock: true });
    const a = s.check(0, 'unresponsive', hung(0));
    expect(a.status).toBe('unresponsive');
    expect(a.state.clock).toEqual({ bootId: BOOT, uptimeMs: UP0 });
    const b = s.check(3600 + 30, 'unresponsive', hung(30));
    expect(b.status).toBe('unresponsive');
    expect(b.actions).toEqual([]);
    // The saved times moved with the wall clock: 30 s more (60 s in all) is hung.
    const c = s.check(3600 + 60, 'unresponsive', hung(60));
    expect(c.status).toBe('hung');
  });

  it('starting (an in-place restart draining) across a +1 h jump is not killed', () => {
    const s = scenario({ bootClock: true });
    s.check(0, 'starting');
    const b = s.check(3600 + 30, 'starting', { monoSec: 30 });
    expect(b).toMatchObject({ status: 'starting', actions: [] });
  });

  it('wall −1 h: backoff still ends 60 s later on the boot-time clock', () => {
    const s = scenario({ bootClock: true });
    const down = s.check(0, 'refused');
    expect(down.actions.at(-1)).toMatchObject({ type: 'restart' });
    s.state = afterRestart(
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
    const early = s.check(-3600 + 30, 'refused', { monoSec: 30 });
    expect(early.status).toBe('deferred');
    const due = s.check(-3600 + 61, 'refused', { monoSec: 61 });
    expect(due.actions.at(-1)).toMatchObject({ type: 'restart' });
  });

  it('another boot: the boot-time clock says nothing, the wall clock is used', () => {
    const s = scenario({ bootClock: true });
    s.check(0, 'unresponsive', hung(0));
    const b = s.check(61, 'unresponsive', {
      ...hung(1),
      bootId: 'other',
      monoSec: -UP0 / 1000 + 1,
    });
    expect(b.status).toBe('hung');
  });
});

describe('decide: downtime and waiting', () => {
  it('downtime runs from the first check that saw it not healthy (unresponsive before hung counts)', () => {
    const s = scenario({ bootClock: true });
    for (const t of [0, 30]) s.check(t, 'unresponsive', hung(t));
    const hungNow = s.check(60, 'unresponsive', hung(60));
    expect(hungNow.status).toBe('hung');
    const outcome = {
      method: 'command' as const,
      pid: 8,
      startTicks: 80,
      startedAt: T0 + 62_000,
      endedAt: T0 + 108_000,
      result: 'healthy' as const,
    };
    const after = afterRestart(hungNow.state, outcome, 'hung');
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
    const s = scenario({ bootClock: true });
    s.check(0, 'refused', { gateways: [young] });
    s.check(30, 'refused', { gateways: [{ ...young, ageSec: 35 }] });
    const down = s.check(130, 'refused');
    expect(names(down)).toContain('gateway_down');
    const back = s.check(149, 'healthy');
    expect(back.events).toEqual([
      { level: 'info', event: 'gateway_recovered', downtimeSec: 149, downtimeFrom: 'first_check' },
    ]);
    expect(back.state.unhealthySince).toBeNull();
  });

  it('a stretch of waiting says why once per reason: starting, unresponsive, backoff', () => {
    const s = scenario({ bootClock: true });
    const seen: string[] = [];
    for (const t of [0, 30, 60]) {
      const d = s.check(t, 'starting');
      expect(d.status).toBe('starting');
      seen.push(...names(d));
    }
    expect(seen).toEqual(['waiting']);
    const d = scenario({ bootClock: true }).check(0, 'starting');
    expect(d.events[0]).toMatchObject({ level: 'info', event: 'waiting', reason: 'starting' });
    // Deferred by backoff: said once, beside restart_deferred.
    const back = scenario({
      bootClock: true,
      state: {
        ...freshState(),
        restarts: { total: 1, consecutive: 1, lastAt: T0, nextAllowedAt: T0 + 60_000 },
      },
    });
    const one = back.check(10, 'refused');
    const two = back.check(20, 'refused');
    expect(names(one)).toEqual(['gateway_down', 'restart_deferred', 'waiting']);
    expect(names(two)).toEqual(['restart_deferred']);
    expect(one.events.at(-1)).toMatchObject({ reason: 'backoff' });
  });
});

describe('decide: a port holder nobody can see', () => {
  it('port_conflict once, however many checks find it', () => {
    const s = scenario({ bootClock: true });
    const all: string[] = [];
    for (const t of [0, 61, 91, 121, 151]) {
      const d = s.check(t, 'unresponsive');
      expect(d.actions).toEqual([]);
      all.push(...names(d));
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
      decide(settings, saved, obs(10, 'refused', { monoSec: 10 })),
      { since: T0, until: T0 + 3600_000, reason: 'upgrade' },
      T0 + 10_000,
      saved,
    );
    expect(names(d)).toEqual(['action_skipped']);
    expect(d.events[0]).toMatchObject({ reason: 'paused', actions: ['restart'] });
    expect(d.state.restarts).toEqual(saved.restarts);
  });
});
