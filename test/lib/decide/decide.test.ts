import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { decide } from '../../../src/lib/decide/decide.js';
import { MAX_LEARNED_BOOT_SEC } from '../../../src/lib/decide/liveness/bookkeeping.js';
import type { PortOwner } from '../../../src/lib/decide/types.js';
import { freshState, type State } from '../../../src/lib/store/state.js';
import {
  gatewayOwner,
  gw,
  names,
  obs,
  reapBeforeRestart,
  restartAction,
  scenario,
  sec,
} from './scenario.js';

const settings = defaultSettings();

describe('decide: transitions', () => {
  it('healthy: nothing to do, exit 0, healthySince recorded', () => {
    const d = scenario().check(0, 'healthy');
    expect(d).toMatchObject({ status: 'healthy', events: [], exitCode: 0 });
    expect(d.actions).toEqual([{ type: 'reap-orphans', minAgeSec: 600, graceSec: 120 }]);
    expect(d.state.healthySince).toBe(sec(0));
  });

  it('what observe saw of the lock’s listener is kept for the next check, whatever the verdict; nothing seen: nothing kept', () => {
    const seen = { pid: 7, startTicks: 70, inode: 700, port: 18789, at: sec(0) };
    for (const verdict of ['healthy', 'unresponsive', 'refused'] as const) {
      const kept = decide(settings, freshState(), { ...obs(0, verdict), lockListener: seen });
      expect(kept.state.lockListener).toEqual(seen);
      const before = { ...freshState(), lockListener: seen };
      expect(decide(settings, before, obs(1, verdict)).state.lockListener).toBeNull();
    }
  });

  it('dead: gateway_down once, restart now, then recovered with the downtime', () => {
    const s = scenario();
    const d = s.check(0, 'refused');
    expect(d.status).toBe('down');
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
    expect(names(d.events)).toEqual(['gateway_down']);
    const r = s.restarted(0, 'healthy', { bootSec: 9 });
    expect(names(r.events)).toEqual(['gateway_restart', 'gateway_recovered']);
    expect(r.events[1]).toMatchObject({ downtimeSec: 9 });
    expect(r.state.slowestBootSec).toBe(9);
    expect(r.exitCode).toBe(0);
  });

  it('a gateway younger than the startup grace is starting, never killed, whatever the probe says', () => {
    for (const verdict of ['refused', 'unresponsive'] as const) {
      const d = scenario().check(0, verdict, { gateways: [gw(7, 100)] });
      expect(d.status).toBe('starting');
      expect(d.actions).toEqual([]);
      expect(d.exitCode).toBe(0);
    }
  });

  it('a young gateway that was healthy since it started, then stops answering, is hung, not starting', () => {
    const owner = gatewayOwner(7, 777);
    const s = scenario();
    const healthy = s.check(20, 'healthy');
    const a = s.check(30, 'unresponsive', { gateways: [gw(7, 30)], portOwner: owner });
    expect(a.status).toBe('unresponsive');
    const b = s.check(91, 'unresponsive', { gateways: [gw(7, 91)], portOwner: owner });
    expect(b.status).toBe('hung');
    // Seen healthy only before this gateway started: this one is still booting.
    const old = scenario({ state: healthy.state }).check(100, 'unresponsive', {
      gateways: [gw(8, 50)],
      portOwner: owner,
    });
    expect(old.status).toBe('starting');
  });

  it('/startupz starting or draining: wait, up to the grace', () => {
    const s = scenario();
    for (const t of [0, 30, 60, 90]) {
      const d = s.check(t, 'starting', { gateways: [gw(7, 500)], startup: 'draining' });
      expect(d.status).toBe('starting');
    }
    const stuck = s.check(121, 'starting', { gateways: [gw(7, 621)], startup: 'draining' });
    expect(stuck.status).toBe('hung');
    expect(stuck.actions.map((a) => a.type)).toEqual(['stop', 'reap-orphans', 'restart']);
  });

  it('alive but not listening (in-place SIGUSR2 restart): starting within the grace, then stop + restart', () => {
    const old = gw(7, 1000);
    const s = scenario();
    const first = s.check(0, 'refused', { gateways: [old] });
    expect(first.status).toBe('starting');
    const still = s.check(60, 'refused', { gateways: [old] });
    expect(still.status).toBe('starting');
    const stale = s.check(125, 'refused', { gateways: [old] });
    expect(stale.status).toBe('down');
    expect(stale.actions).toEqual([
      { type: 'stop', targets: [{ pid: 7, startTicks: 70 }], reason: 'not_listening' },
      reapBeforeRestart,
      restartAction('not_listening'),
    ]);
  });

  it('hung: only after probe.hungAfterSec of unresponsiveness across checks; stops the port owner tree', () => {
    const owner = gatewayOwner(7, 777);
    const s = scenario();
    const a = s.check(0, 'unresponsive', { gateways: [gw(7, 1000)], portOwner: owner });
    expect(a).toMatchObject({ status: 'unresponsive', actions: [], exitCode: 1 });
    expect(names(a.events)).toEqual(['gateway_unresponsive', 'waiting']);
    const b = s.check(30, 'unresponsive', { gateways: [gw(7, 1030)], portOwner: owner });
    expect(b.status).toBe('unresponsive');
    expect(b.events).toEqual([]);
    const c = s.check(60, 'unresponsive', { gateways: [gw(7, 1060)], portOwner: owner });
    expect(c.status).toBe('hung');
    expect(names(c.events)).toEqual(['gateway_hung']);
    expect(c.actions[0]).toEqual({
      type: 'stop',
      targets: [{ pid: 7, startTicks: 70 }],
      reason: 'hung',
    });
  });

  it('the port owner added as a stop target carries its start time (never a bare pid)', () => {
    const owner = gatewayOwner(9, 999);
    const s = scenario();
    s.check(0, 'unresponsive', { portOwner: owner });
    const c = s.check(60, 'unresponsive', { portOwner: owner });
    expect(c.actions[0]).toEqual({
      type: 'stop',
      targets: [{ pid: 9, startTicks: 999 }],
      reason: 'hung',
    });
  });

  it('one healthy probe in between resets the hung clock', () => {
    const owner = gatewayOwner(7, 777);
    const s = scenario();
    s.check(0, 'unresponsive', { gateways: [gw(7, 1000)], portOwner: owner });
    s.check(30, 'healthy');
    const c = s.check(60, 'unresponsive', { gateways: [gw(7, 1060)], portOwner: owner });
    expect(c.status).toBe('unresponsive');
  });

  it('port conflict: a foreign holder is never stopped; port_conflict once per incident; exit 1', () => {
    const owner: PortOwner = {
      pid: 9,
      name: 'python3',
      gateway: false,
      startTicks: 777,
      whose: 'other',
    };
    const s = scenario();
    const a = s.check(0, 'not-openclaw', { portOwner: owner });
    expect(a).toMatchObject({ status: 'port-conflict', actions: [], exitCode: 1 });
    expect(a.events).toEqual([
      {
        level: 'error',
        event: 'port_conflict',
        pid: 9,
        name: 'python3',
        verdict: 'not-openclaw',
        holder: 'foreign',
      },
    ]);
    const b = s.check(30, 'unresponsive', { portOwner: owner });
    expect(b).toMatchObject({ status: 'port-conflict', actions: [], events: [] });
    // A holder nobody can see (another user's, or a gateway still exiting) waits out the hung timer.
    const hiddenHolder = scenario();
    const hidden = hiddenHolder.check(0, 'unresponsive');
    expect(hidden).toMatchObject({ status: 'unresponsive', actions: [] });
    const stillHidden = hiddenHolder.check(61, 'unresponsive');
    expect(stillHidden).toMatchObject({ status: 'port-conflict', actions: [] });
    expect(names(stillHidden.events)).toEqual(['port_conflict']);
  });

  it('a gateway of another state dir, or one nobody can attribute, on our port: a conflict, never stopped', () => {
    for (const whose of ['other', 'unknown'] as const) {
      const s = scenario();
      const owner = gatewayOwner(9, 777, whose);
      const holder = whose === 'other' ? 'other_gateway' : 'unattributed';
      const events = [];
      for (const [t, verdict] of [
        [0, 'unresponsive'],
        [90, 'unresponsive'],
        [200, 'starting'],
      ] as const) {
        const d = s.check(t, verdict, { portOwner: owner });
        expect(d).toMatchObject({ status: 'port-conflict', actions: [], exitCode: 1 });
        expect(d.detail).toContain(
          whose === 'other' ? 'another state dir' : 'cannot be attributed',
        );
        events.push(...d.events);
      }
      expect(events).toMatchObject([{ event: 'port_conflict', pid: 9, holder }]);
    }
  });

  it('status comes from why it restarts: down for crashed / not listening, hung otherwise', () => {
    expect(scenario().check(0, 'refused').status).toBe('down');
    const s = scenario();
    s.check(0, 'starting', { gateways: [gw(7, 500)], startup: 'starting' });
    const stuck = s.check(121, 'starting', { gateways: [gw(7, 621)], startup: 'starting' });
    expect(stuck.actions.at(-1)).toEqual(restartAction('stuck_starting'));
    expect(stuck.status).toBe('hung');
  });
});

describe('markHealthy: one "became healthy" state change', () => {
  it('recovering at the end of verify or at a later check leaves the same state', () => {
    const fields = (st: State) => {
      const { incident, unhealthySince, waiting, unresponsiveSince, startingSince } = st;
      const { notListening, healthySince, lastHealthyAt, lastVerdict, slowestBootSec } = st;
      return {
        ...{ incident, unhealthySince, waiting, unresponsiveSince, startingSince, notListening },
        ...{ healthySince, lastHealthyAt, lastVerdict, slowestBootSec },
        bootSec: st.spawned?.bootSec,
      };
    };
    const verify = scenario();
    verify.check(0, 'refused');
    const atVerify = verify.restarted(0, 'healthy', { bootSec: 9 });
    const later = scenario();
    later.check(0, 'refused');
    later.restarted(0, 'pending', { bootSec: 5 });
    const atCheck = later.check(9, 'healthy', { spawnedAlive: true });
    expect(fields(atCheck.state)).toEqual(fields(atVerify.state));
    expect(fields(atCheck.state)).toMatchObject({
      incident: null,
      healthySince: sec(9),
      bootSec: 9,
    });
    expect(names(atVerify.events).slice(1)).toEqual(names(atCheck.events));
  });
});

describe('decide: backoff, crash loop, reset', () => {
  it('consecutive restarts are delayed 0, 60, 120, 240 s; inside the delay only restart_deferred', () => {
    const s = scenario();
    let t = 0;
    const gaps: number[] = [];
    let lastRestart = 0;
    for (let i = 0; i < 5; i++) {
      let d = s.check(t, 'refused');
      while (d.status === 'deferred') {
        expect(d.actions).toEqual([]);
        expect(names(d.events)).toContain('restart_deferred');
        expect(d.events.find((e) => e.event === 'restart_deferred')).toHaveProperty(
          'nextAttemptAt',
        );
        t += 30;
        d = s.check(t, 'refused');
      }
      expect(d.actions.at(-1)).toEqual(restartAction('crashed'));
      gaps.push(t - lastRestart);
      lastRestart = t;
      s.restarted(t, 'failed', { bootSec: 1, exitCode: 1 });
    }
    expect(gaps).toEqual([0, 60, 120, 240, 480]);
  });

  it('crash_loop once per incident, at the fifth consecutive restart', () => {
    const s = scenario({
      state: {
        ...freshState(),
        restarts: { total: 4, consecutive: 4, lastAt: sec(0), nextAllowedAt: sec(0) },
      },
    });
    const d = s.check(1, 'refused');
    expect(names(d.events)).toContain('crash_loop');
    s.state = { ...d.state, restarts: { ...d.state.restarts, nextAllowedAt: sec(1) } };
    const again = s.check(2, 'refused');
    expect(names(again.events)).not.toContain('crash_loop');
  });

  it('restart.stableAfterSec of health resets the streak', () => {
    const s = scenario();
    s.check(0, 'refused');
    s.restarted(0, 'healthy', { bootSec: 10 });
    expect(s.state.restarts.consecutive).toBe(1);
    for (const t of [30, 60, 200]) s.check(t, 'healthy');
    expect(s.state.restarts.consecutive).toBe(1);
    s.check(311, 'healthy');
    expect(s.state.restarts).toMatchObject({ consecutive: 0, nextAllowedAt: null, total: 1 });
    const next = s.check(320, 'refused');
    expect(next.actions.at(-1)).toEqual(restartAction('crashed'));
  });

  it('a restart that fails reports exit code and output; exit 78 says restarting will not help', () => {
    const s = scenario();
    s.check(0, 'refused');
    const r = s.restarted(0, 'failed', { bootSec: 1, exitCode: 78 });
    const failed = r.events.find((e) => e.event === 'restart_failed');
    expect(failed).toMatchObject({ exitCode: 78, output: 'Invalid config at /x/openclaw.json' });
    expect(String(failed?.hint)).toMatch(/restarting will not fix it/);
    expect(r.exitCode).toBe(1);
  });
});

describe('decide: startup grace learned, clock jumps', () => {
  it('grace = max(startupGraceSec, 2 x slowest boot)', () => {
    const slow: State = { ...freshState(), slowestBootSec: 100 };
    const seen = obs(0, 'unresponsive', {
      gateways: [gw(7, 150)],
      portOwner: gatewayOwner(7, 777),
    });
    expect(decide(settings, slow, seen).status).toBe('starting');
    expect(decide(settings, freshState(), seen).status).toBe('unresponsive');
  });

  it('learns the boot time of a gateway that came up after verify gave up', () => {
    const state: State = {
      ...freshState(),
      spawned: { pid: 5, startTicks: 1, at: sec(0), method: 'openclaw' },
    };
    const d = scenario({ state }).check(150, 'healthy', { spawnedAlive: true });
    expect(d.state.slowestBootSec).toBe(150);
    expect(d.state.spawned?.bootSec).toBe(150);
  });

  it('learns nothing from a gateway it did not start: the spawned one died, another came up days later', () => {
    const s = scenario();
    s.check(0, 'refused');
    s.restarted(0, 'pending', { bootSec: 60 }); // verify gave up: no boot time yet
    // It dies; the user starts a gateway by hand two days later: healthy, but not the spawned one.
    const d = s.check(2 * 86_400, 'healthy', { spawnedAlive: false });
    expect(d.status).toBe('healthy');
    expect(d.state.slowestBootSec).toBeNull();
    // The grace stays the configured one: a gateway that never answers is not waited on for days.
    const hung = s.check(2 * 86_400 + 30, 'unresponsive', {
      gateways: [gw(7, 200)],
      portOwner: gatewayOwner(7, 70),
    });
    expect(hung.status).toBe('unresponsive');
  });

  it(`caps what one boot can teach at ${MAX_LEARNED_BOOT_SEC} s: a gateway seen healthy late is not a slow boot`, () => {
    const spawned = { pid: 5, startTicks: 1, at: sec(0), method: 'openclaw' };
    const late = scenario({ state: { ...freshState(), slowestBootSec: 20, spawned } });
    const d = late.check(86_400, 'healthy', { spawnedAlive: true });
    expect(d.state.slowestBootSec).toBe(20);
    expect(d.state.spawned?.bootSec).toBe(86_400); // noted once, so later checks do not retry
    const slow = scenario({ state: { ...freshState(), spawned } });
    const at = slow.check(MAX_LEARNED_BOOT_SEC, 'healthy', { spawnedAlive: true });
    expect(at.state.slowestBootSec).toBe(MAX_LEARNED_BOOT_SEC);
  });

  it('a clock that jumps backwards neither kills at once nor defers forever', () => {
    const owner = gatewayOwner(7, 777);
    const s = scenario();
    s.check(1000, 'unresponsive', { gateways: [gw(7, 5000)], portOwner: owner });
    const back = s.check(10, 'unresponsive', { gateways: [gw(7, 5000)], portOwner: owner });
    expect(back.status).toBe('unresponsive');
    const deferred = scenario({
      state: {
        ...freshState(),
        lastCheckAt: sec(100_000),
        restarts: { total: 3, consecutive: 3, lastAt: sec(100_000), nextAllowedAt: sec(100_240) },
      },
    });
    const d = deferred.check(0, 'refused');
    expect(d.status).toBe('deferred');
    const later = deferred.check(settings.restart.maxDelaySec + 1, 'refused');
    expect(later.actions.at(-1)).toEqual(restartAction('crashed'));
  });
});

describe('decide: a stretch interrupted by another verdict starts its timer afresh', () => {
  it('unresponsive, then starting, then unresponsive again: the hung timer restarts (decide: unresponsiveSince cleared)', () => {
    const owner = gatewayOwner(7, 70);
    const s = scenario();
    s.check(0, 'unresponsive', { gateways: [gw(7, 1000)], portOwner: owner });
    const between = s.check(30, 'starting', { gateways: [gw(7, 1030)], portOwner: owner });
    expect(between.state.unresponsiveSince).toBeNull();
    const again = s.check(60, 'unresponsive', { gateways: [gw(7, 1060)], portOwner: owner });
    expect(again.status).toBe('unresponsive');
    expect(again.actions).toEqual([]);
    expect(again.state.unresponsiveSince).toBe(sec(60));
    // Checks a few seconds apart near the limit: the cadence slack (cadence.ts) is a tenth of the gap.
    for (const t of [115, 119])
      expect(
        s.check(t, 'unresponsive', { gateways: [gw(7, 1000 + t)], portOwner: owner }).status,
      ).toBe('unresponsive');
    expect(s.check(120, 'unresponsive', { gateways: [gw(7, 1120)], portOwner: owner }).status).toBe(
      'hung',
    );
  });

  it('starting, then unresponsive, then starting again: the startup grace restarts (decide: startingSince cleared)', () => {
    const owner = gatewayOwner(7, 70);
    const s = scenario();
    s.check(0, 'starting', { gateways: [gw(7, 500)] });
    const between = s.check(60, 'unresponsive', { gateways: [gw(7, 560)], portOwner: owner });
    expect(between.state.startingSince).toBeNull();
    const again = s.check(121, 'starting', { gateways: [gw(7, 621)] });
    expect(again.status).toBe('starting');
    expect(again.actions).toEqual([]);
    expect(again.state.startingSince).toBe(sec(121));
  });

  it('the startup grace ends at its length (less the cadence slack): still starting a second before, stopped at it', () => {
    const grace = settings.probe.startupGraceSec;
    const s = scenario();
    s.check(0, 'starting', { gateways: [gw(7, 500)] });
    for (const t of [grace - 5, grace - 1])
      expect(s.check(t, 'starting', { gateways: [gw(7, 500 + t)] }).status).toBe('starting');
    const stuck = s.check(grace, 'starting', { gateways: [gw(7, 500 + grace)] });
    expect(stuck.status).toBe('hung');
    expect(stuck.detail).toBe(`still starting after ${grace} s`);
    expect(names(stuck.events)).toEqual(['gateway_hung']);
  });

  it('a deaf gateway of ours is waited on for the grace (less the cadence slack), then stopped', () => {
    const grace = settings.probe.startupGraceSec;
    const s = scenario();
    s.check(0, 'refused', { gateways: [gw(7, 1000)] });
    for (const t of [grace - 5, grace - 1])
      expect(s.check(t, 'refused', { gateways: [gw(7, 1000)] }).status).toBe('starting');
    const deaf = s.check(grace, 'refused', { gateways: [gw(7, 1000)] });
    expect(deaf.status).toBe('down');
    expect(deaf.detail).toBe(`gateway pid 7 has not listened for ${grace} s`);
    expect(deaf.events).toEqual([
      { level: 'error', event: 'gateway_down', reason: 'gateway alive but not listening', pid: 7 },
    ]);
  });

  it('another pid alive but deaf starts its own not-listening timer', () => {
    const s = scenario();
    s.check(0, 'refused', { gateways: [gw(7, 1000)] });
    const other = s.check(100, 'refused', { gateways: [gw(8, 1000)] });
    expect(other.state.notListening).toEqual({ pid: 8, since: sec(100) });
    expect(s.check(150, 'refused', { gateways: [gw(8, 1000)] }).status).toBe('starting');
  });

  it('a gateway exactly as old as the grace is not booting; one a second younger is', () => {
    const grace = settings.probe.startupGraceSec;
    const owner = gatewayOwner(7, 70);
    const young = scenario().check(0, 'unresponsive', {
      gateways: [gw(7, grace - 1)],
      portOwner: owner,
    });
    expect(young.status).toBe('starting');
    expect(young.detail).toBe(`gateway pid 7 is ${grace - 1} s old (grace ${grace} s)`);
    const old = scenario().check(0, 'unresponsive', { gateways: [gw(7, grace)], portOwner: owner });
    expect(old.status).toBe('unresponsive');
  });
});

describe('decide: booting is only before the first healthy answer', () => {
  it('a gateway whose start is the last healthy check is not booting: its unresponsiveness counts (decide: youngGateway)', () => {
    const owner = gatewayOwner(7, 70);
    const s = scenario();
    s.check(100, 'healthy');
    // Started exactly when the last healthy check saw it (age 30 s at 130 s).
    const d = s.check(130, 'unresponsive', { gateways: [gw(7, 30)], portOwner: owner });
    expect(d.status).toBe('unresponsive');
    // Started a second after it: never seen healthy, still booting.
    const t = scenario();
    t.check(100, 'healthy');
    expect(t.check(130, 'unresponsive', { gateways: [gw(7, 29)], portOwner: owner }).status).toBe(
      'starting',
    );
  });
});

describe('decide: a healthy answer on our port from a gateway that is not ours', () => {
  it('another state dir’s gateway answering is no health of ours: a port conflict, remembered as other-gateway', () => {
    const s = scenario();
    const portOwner = gatewayOwner(9, 90, 'other');
    const d = s.check(30, 'healthy', { portOwner });
    expect(d.status).toBe('port-conflict');
    expect(s.state.lastVerdict).toBe('other-gateway');
    expect(s.state.healthySince).toBeNull();
  });

  it('our gateway, or one nobody can attribute, answering healthy is healthy', () => {
    for (const whose of ['ours', 'unknown'] as const) {
      const s = scenario();
      const d = s.check(30, 'healthy', { portOwner: gatewayOwner(9, 90, whose) });
      expect(d.status).toBe('healthy');
      expect(s.state.lastVerdict).toBe('healthy');
    }
    const program = { ...gatewayOwner(9, 90, 'other'), gateway: false, name: 'nginx' };
    expect(scenario().check(30, 'healthy', { portOwner: program }).status).toBe('healthy');
  });
});

describe('decide: the verdict a check remembers', () => {
  it('a gateway of another state dir on our port that does not answer healthy keeps the probe’s verdict', () => {
    const s = scenario();
    const portOwner = gatewayOwner(9, 90, 'other');
    s.check(30, 'unresponsive', { portOwner });
    expect(s.state.lastVerdict).toBe('unresponsive');
    s.check(60, 'refused', {});
    expect(s.state.lastVerdict).toBe('refused');
  });
});
