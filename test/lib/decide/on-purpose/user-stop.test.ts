import { describe, expect, it } from 'vitest';
import { decideRun } from '../../../../src/lib/decide/run.js';
import {
  STOP_SLACK_MS,
  stoppedByUser,
  UNSEEN_START_STOP_MS,
  type UserStop,
} from '../../../../src/lib/decide/on-purpose/user-stop.js';
import { freshState } from '../../../../src/lib/store/state.js';
import {
  gatewayOwner,
  gw,
  names,
  obs,
  reapBeforeRestart,
  restartAction,
  scenario,
  sec,
} from '../scenario.js';

/** `openclaw gateway stop` at `at` s (its line in gateway-restart.log). */
const stopAt = (at: number, source: UserStop['source'] = 'openclaw'): UserStop => ({
  at: sec(at),
  source,
  pid: 4242,
});

describe('decide: a stop the user meant', () => {
  it('healthy, then stopped by the user: no restart, no stop, no reaping; said once; exit 0', () => {
    const s = scenario();
    s.check(0, 'healthy');
    const first = s.check(40, 'refused', { userStop: stopAt(30) });
    expect(first).toMatchObject({ status: 'stopped', exitCode: 0, actions: [] });
    expect(first.detail).toMatch(/stopped by the user .*openclaw gateway stop.*not restarted/);
    expect(first.events).toEqual([
      {
        level: 'warn',
        event: 'gateway_stopped_by_user',
        stoppedAt: '2026-11-26T00:00:30.000Z',
        source: 'openclaw',
        pid: 4242,
      },
    ]);
    for (const t of [70, 100, 4000]) {
      const again = s.check(t, 'refused', { userStop: stopAt(30) });
      expect(again).toMatchObject({ status: 'stopped', exitCode: 0, actions: [], events: [] });
    }
    expect(s.state.userStopAt).toBe(sec(30));
    expect(s.state.incident).toBeNull();
    expect(s.state.restarts.total).toBe(0);
  });

  it('a gateway still draining after the stop (alive, /startupz draining, then deaf) is never killed', () => {
    const s = scenario();
    s.check(0, 'healthy');
    const draining = gw(7, 1000); // started long before the stop
    const owner = gatewayOwner(7, 70);
    for (const [t, v] of [
      [31, 'starting'],
      [200, 'starting'],
      [400, 'unresponsive'],
      [600, 'refused'],
    ] as const) {
      const d = s.check(t, v, {
        gateways: [{ ...draining, ageSec: 1000 + t }],
        portOwner: v === 'refused' ? null : owner,
        startup: 'draining',
        userStop: stopAt(30),
      });
      expect(d).toMatchObject({ status: 'stopped', actions: [], exitCode: 0 });
    }
  });

  it('started again (seen healthy after the stop): normal again; a later crash is restarted as usual', () => {
    const s = scenario();
    s.check(0, 'healthy');
    expect(s.check(40, 'refused', { userStop: stopAt(30) }).status).toBe('stopped');
    // The user starts it by hand (gateway run writes no lifecycle line): the stop stays the last one.
    const back = s.check(100, 'healthy', { userStop: stopAt(30) });
    expect(back).toMatchObject({ status: 'healthy', exitCode: 0 });
    expect(names(back.events)).toEqual([]);
    expect(back.state.userStopAt).toBeNull();
    const crash = s.check(200, 'refused', { userStop: stopAt(30) });
    expect(crash.status).toBe('down');
    expect(crash.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
    expect(names(crash.events)).toEqual(['gateway_down']);
  });

  it('a gateway process of ours started after the stop (booting, never healthy yet) ends it', () => {
    const s = scenario();
    s.check(0, 'healthy');
    s.check(40, 'refused', { userStop: stopAt(30) });
    const booting = s.check(100, 'refused', { gateways: [gw(9, 20)], userStop: stopAt(30) });
    expect(booting.status).toBe('starting');
    // It crashes during boot: a crash of the started gateway, restarted.
    const crashed = s.check(200, 'refused', { userStop: stopAt(30) });
    expect(crashed.status).toBe('down');
    expect(crashed.actions.map((a) => a.type)).toEqual(['reap-orphans', 'restart']);
    // Its downtime runs from the first check after the start, not from the stop.
    expect(crashed.state.incident).toEqual({ kind: 'down', since: sec(100) });
  });

  it('a stop older than the last start (the watchdog restarted it since, or seen healthy since) is no stop', () => {
    const spawned = { pid: 5, startTicks: 50, at: sec(100), method: 'openclaw' };
    const a = scenario({ state: { ...freshState(), spawned } });
    expect(a.check(200, 'refused', { userStop: stopAt(50) }).status).toBe('down');
    const b = scenario();
    b.check(60, 'healthy');
    expect(b.check(90, 'refused', { userStop: stopAt(50) }).status).toBe('down');
  });

  it('a healthy probe just before the SIGTERM landed does not hide the stop (slack)', () => {
    const s = scenario();
    s.check(0, 'healthy');
    // The check probed healthy 1 s after the stop line was written (the signal had not landed yet).
    s.check(31, 'healthy');
    expect(STOP_SLACK_MS).toBeGreaterThan(1000);
    expect(s.check(60, 'refused', { userStop: stopAt(30) }).status).toBe('stopped');
  });

  it('with nothing known about the last start (fresh state), a recorded stop is a stop', () => {
    const d = scenario().check(0, 'refused', { userStop: stopAt(-600, 'systemd') });
    expect(d).toMatchObject({ status: 'stopped', exitCode: 0, actions: [] });
    expect(d.detail).toMatch(/systemctl --user stop/);
  });

  it('with nothing known about the last start, an old stop is no stop: the crash is restarted', () => {
    // Stopped 3 days ago, started by hand since (no lifecycle line), crashed; state.json is new.
    const old = stopAt(-3 * 86_400);
    const d = scenario().check(0, 'refused', { userStop: old });
    expect(d.status).toBe('down');
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
    // Just past the bound, still no stop; just inside it, a stop.
    const past = stopAt(-UNSEEN_START_STOP_MS / 1000 - 1);
    expect(scenario().check(0, 'refused', { userStop: past }).status).toBe('down');
    const inside = stopAt(-UNSEEN_START_STOP_MS / 1000 + 1);
    expect(scenario().check(0, 'refused', { userStop: inside }).status).toBe('stopped');
  });

  it('a stop trusted when young stays a stop as it ages (no start seen since)', () => {
    const s = scenario();
    expect(s.check(0, 'refused', { userStop: stopAt(-60) }).status).toBe('stopped');
    for (const t of [3600, 86_400, 3 * 86_400]) {
      const d = s.check(t, 'refused', { userStop: stopAt(-60) });
      expect(d).toMatchObject({ status: 'stopped', actions: [], events: [] });
    }
  });

  it('a stop dated in the future (the clock was ahead) is no stop: the crash is restarted', () => {
    const s = scenario();
    s.check(0, 'healthy');
    s.check(60, 'healthy');
    const d = s.check(120, 'refused', { userStop: stopAt(120 + 7200) });
    expect(d.status).toBe('down');
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
    // The same without any history.
    expect(scenario().check(0, 'refused', { userStop: stopAt(7200) }).status).toBe('down');
    // Within the slack (a few ms of clock skew between the CLI and the check): still a stop.
    expect(scenario().check(0, 'refused', { userStop: stopAt(1) }).status).toBe('stopped');
  });

  it("while stopped, another program on the port is the user's business: no port_conflict, exit 0", () => {
    const s = scenario();
    s.check(0, 'healthy');
    const other = {
      pid: 99,
      name: 'python3',
      startTicks: 990,
      gateway: false,
      whose: 'other' as const,
    };
    const d = s.check(40, 'not-openclaw', { portOwner: other, userStop: stopAt(30) });
    expect(d).toMatchObject({ status: 'stopped', exitCode: 0, actions: [] });
    expect(names(d.events)).toEqual(['gateway_stopped_by_user']);
  });

  it('a healthy gateway is never "stopped", whatever the log says', () => {
    const s = scenario();
    const d = s.check(100, 'healthy', { userStop: stopAt(90) });
    expect(d.status).toBe('healthy');
    expect(d.state.userStopAt).toBeNull();
  });

  it('the stop closes an open incident (no reminders) without a recovered event', () => {
    const s = scenario();
    s.check(0, 'healthy');
    expect(s.check(10, 'unresponsive').status).toBe('unresponsive');
    s.state = { ...s.state, incident: { kind: 'hung', since: sec(10) } };
    const d = s.check(40, 'refused', { userStop: stopAt(30) });
    expect(d.state.incident).toBeNull();
    expect(d.state.unresponsiveSince).toBeNull();
    expect(names(d.events)).toEqual(['gateway_stopped_by_user']);
  });

  it('a new stop after a start is said again; pause stays as it was', () => {
    const s = scenario();
    s.check(0, 'healthy');
    s.check(40, 'refused', { userStop: stopAt(30) });
    s.check(100, 'healthy', { userStop: stopAt(30) });
    const again = s.check(300, 'refused', { userStop: stopAt(250) });
    expect(names(again.events)).toEqual(['gateway_stopped_by_user']);
    const paused = decideRun(s.settings, s.state, {
      ...obs(330, 'refused', { userStop: stopAt(250) }),
      pause: { since: sec(320), until: sec(900), reason: null },
    });
    expect(paused).toMatchObject({ status: 'stopped', paused: true, actions: [], events: [] });
  });

  it('another state dir’s gateway started after the stop does not cancel the user’s stop (user-stop: ours filter)', () => {
    const s = scenario();
    s.check(0, 'healthy');
    expect(s.check(40, 'refused', { userStop: stopAt(30) }).status).toBe('stopped');
    // Started at 200 s, after the stop, and past the startup grace: not ours, so not our start.
    const other = gw(8, 200, false);
    const d = s.check(400, 'refused', { gateways: [other], userStop: stopAt(30) });
    expect(d).toMatchObject({ status: 'stopped', exitCode: 0, actions: [] });
    expect(d.state.gatewaySeenStartAt).toBeNull();
    // The same gateway, ours: a start after the stop, which is over (alive but deaf: waited on).
    const ours = s.check(430, 'refused', { gateways: [gw(8, 230)], userStop: stopAt(30) });
    expect(ours.state.gatewaySeenStartAt).toBe(sec(200));
    expect(ours.status).toBe('starting');
  });
});

describe('stoppedByUser: the edges of a stop that counts', () => {
  const at = (s: number, verdict: 'refused' | 'healthy' = 'refused', userStop = stopAt(s)) =>
    obs(s, verdict, { userStop });

  it('a healthy probe is never a stop, whatever the log says', () => {
    expect(stoppedByUser(freshState(), obs(10, 'healthy', { userStop: stopAt(5) }))).toBeNull();
    expect(stoppedByUser(freshState(), obs(10, 'refused', { userStop: stopAt(5) }))).not.toBeNull();
  });

  it('a stop dated exactly the slack ahead is still a stop; a ms more is not', () => {
    const s = STOP_SLACK_MS / 1000;
    expect(stoppedByUser(freshState(), obs(0, 'refused', { userStop: stopAt(s) }))).not.toBeNull();
    expect(
      stoppedByUser(freshState(), obs(0, 'refused', { userStop: stopAt(s + 0.001) })),
    ).toBeNull();
  });

  it('a stop at the very ms of the last known start is no stop; a ms after it is', () => {
    const started = { ...freshState(), gatewaySeenStartAt: sec(100) };
    expect(stoppedByUser(started, obs(200, 'refused', { userStop: stopAt(100) }))).toBeNull();
    expect(
      stoppedByUser(started, obs(200, 'refused', { userStop: stopAt(100.001) })),
    ).not.toBeNull();
  });

  it('with no start known, a stop exactly UNSEEN_START_STOP_MS old is trusted', () => {
    const s = UNSEEN_START_STOP_MS / 1000;
    expect(stoppedByUser(freshState(), at(s + 10, 'refused', stopAt(10)))).not.toBeNull();
  });

  it('an old stop is trusted only as the same stop noted before (within the slack), not another', () => {
    const old = stopAt(0);
    const later = sec(UNSEEN_START_STOP_MS / 1000 + 100);
    const seen = obs(UNSEEN_START_STOP_MS / 1000 + 100, 'refused', { userStop: old });
    expect(later).toBe(seen.now);
    const noted = (userStopAt: number) => ({ ...freshState(), userStopAt });
    expect(stoppedByUser(noted(sec(0) + STOP_SLACK_MS - 1), seen)).toEqual(old);
    expect(stoppedByUser(noted(sec(0) + STOP_SLACK_MS), seen)).toBeNull();
    expect(stoppedByUser(noted(sec(-600)), seen)).toBeNull();
  });
});

describe('stopped: one gateway_stopped_by_user per stop', () => {
  it('another stop read at a later check, with no start seen between, is said again', () => {
    const s = scenario();
    expect(names(s.check(10, 'refused', { userStop: stopAt(0) }).events)).toEqual([
      'gateway_stopped_by_user',
    ]);
    // The same stop read again a few ms off (the unit's time is re-derived): not said again.
    const jitter = { ...stopAt(0), at: sec(0) + STOP_SLACK_MS - 1 };
    expect(s.check(40, 'refused', { userStop: jitter }).events).toEqual([]);
    // Started by hand and stopped again between two checks: a new stop.
    const again = { ...stopAt(0), at: sec(0) + STOP_SLACK_MS };
    expect(names(s.check(70, 'refused', { userStop: again }).events)).toEqual([
      'gateway_stopped_by_user',
    ]);
    expect(names(s.check(100, 'refused', { userStop: stopAt(90) }).events)).toEqual([
      'gateway_stopped_by_user',
    ]);
  });
});
