import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import {
  afterOrphans,
  afterStop,
  dryRunActions,
  killsOrSpawns,
  lockLost,
} from '../../../src/lib/decide/actions.js';
import { decideRun } from '../../../src/lib/decide/run.js';
import type { Observation } from '../../../src/lib/decide/types.js';
import { freshState, type State } from '../../../src/lib/store/state.js';
import { T0, names, obs, reapBeforeRestart, restartAction, scenario, sec } from './scenario.js';

const settings = defaultSettings();
const remind = { ...settings, notify: { ...settings.notify, remindAfterSec: 300 } };
const paused = (o: Observation, untilSec: number): Observation => ({
  ...o,
  pause: { since: T0, until: sec(untilSec), reason: 'upgrade' },
});
const downSince = (s: number): State => ({
  ...freshState(),
  incident: { kind: 'down', since: sec(s) },
  unhealthySince: sec(s),
  restarts: { total: 1, consecutive: 1, lastAt: sec(s), nextAllowedAt: sec(s + 600) },
});

describe('decideRun: the whole policy of one check', () => {
  it('the pause arrives with the observation: nothing carried out, the restart not counted', () => {
    const d = decideRun(settings, freshState(), paused(obs(10, 'refused'), 3600));
    expect(d).toMatchObject({ status: 'down', paused: true, pauseExpired: false, actions: [] });
    expect(names(d.events)).toEqual(['gateway_down', 'action_skipped']);
    expect(d.state.restarts.total).toBe(0);
  });

  it('an expired pause: resumed, the actions go through, and it says the pause file must go', () => {
    const d = decideRun(settings, freshState(), paused(obs(10, 'refused'), 5));
    expect(d).toMatchObject({ paused: false, pauseExpired: true });
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
    expect(names(d.events)[0]).toBe('resumed');
  });

  it('an open incident re-alerts every notify.remindAfterSec, also while paused', () => {
    const d = decideRun(remind, downSince(0), obs(301, 'refused'));
    expect(d.status).toBe('deferred');
    expect(d.events.at(-1)).toMatchObject({ event: 'incident_reminder', sinceSec: 301 });
    expect(d.state.lastAlertAt).toBe(sec(301));
    const p = decideRun(remind, downSince(0), paused(obs(301, 'refused'), 3600));
    expect(names(p.events)).toContain('incident_reminder');
  });

  it('a check that restarts leaves the reminder to the restart outcome (a recovery says no reminder)', () => {
    const state = { ...downSince(0), restarts: { ...downSince(0).restarts, nextAllowedAt: null } };
    const d = decideRun(remind, state, obs(301, 'refused'));
    expect(d.actions.at(-1)).toEqual(restartAction('crashed'));
    expect(names(d.events)).not.toContain('incident_reminder');
    const s = scenario({ settings: remind, state: d.state });
    const failed = s.restarted(301, 'failed', { bootSec: 1, exitCode: 1 });
    expect(names(failed.events)).toEqual(['gateway_restart', 'restart_failed']);
    const healthy = scenario({ state: d.state }).restarted(301, 'healthy');
    expect(names(healthy.events)).not.toContain('incident_reminder');
  });
});

describe('actions: what act may do, as decide says it', () => {
  it('a dry run only lists orphans; reporting orphans never needs the lock', () => {
    const d = decideRun(settings, freshState(), obs(0, 'refused'));
    expect(dryRunActions(d.actions)).toEqual([{ ...reapBeforeRestart, type: 'report-orphans' }]);
    expect(d.actions.map(killsOrSpawns)).toEqual([true, true]);
    expect(killsOrSpawns({ type: 'report-orphans', minAgeSec: 600, graceSec: 120 })).toBe(false);
  });

  it('orphans.action "report": decide asks only for a report, named reap-orphans where skipped', () => {
    const report = { ...settings, orphans: { ...settings.orphans, action: 'report' as const } };
    const d = decideRun(report, freshState(), obs(0, 'healthy'));
    expect(d.actions).toEqual([{ type: 'report-orphans', minAgeSec: 600, graceSec: 120 }]);
    const down = decideRun(report, freshState(), obs(0, 'refused'));
    expect(lockLost(down.actions, 5)).toEqual({
      level: 'warn',
      event: 'lock_lost',
      at: 5,
      skipped: ['reap-orphans', 'restart'],
    });
  });
});

describe('decideRun: the paused flag the heartbeat and the metric read', () => {
  it('says paused: false without a pause, on a healthy and on a down check (run: paused flag)', () => {
    for (const verdict of ['healthy', 'refused'] as const) {
      const d = decideRun(settings, freshState(), obs(10, verdict));
      expect(d.paused).toBe(false);
      expect(d.pauseExpired).toBe(false);
    }
  });

  it('says paused: true only while the pause is on, false once it expired (run: paused flag)', () => {
    const on = decideRun(settings, freshState(), paused(obs(10, 'healthy'), 3600));
    expect(on).toMatchObject({ paused: true, pauseExpired: false });
    const over = decideRun(settings, freshState(), paused(obs(10, 'healthy'), 10));
    expect(over).toMatchObject({ paused: false, pauseExpired: true });
  });
});

describe('actions: folding what act did back in', () => {
  it('a dry run lists orphans instead of reaping them, and drops every kill and spawn', () => {
    const actions = [
      { type: 'stop' as const, targets: [{ pid: 1, startTicks: 2 }], reason: 'hung' as const },
      { type: 'reap-orphans' as const, minAgeSec: null, graceSec: 120 },
      { type: 'report-orphans' as const, minAgeSec: 600, graceSec: 120 },
      { type: 'restart' as const, reason: 'hung' as const, probeTimeoutMs: 2000 },
    ];
    expect(dryRunActions(actions)).toEqual([
      { type: 'report-orphans', minAgeSec: null, graceSec: 120 },
      { type: 'report-orphans', minAgeSec: 600, graceSec: 120 },
    ]);
    expect(actions.map(killsOrSpawns)).toEqual([true, true, false, true]);
    expect(
      killsOrSpawns({ type: 'channel-restart', channel: 'c', account: 'a', gateway: null }),
    ).toBe(true);
    expect(
      killsOrSpawns({
        type: 'graceful-restart',
        reason: 'memory',
        target: { pid: 1, startTicks: 2 },
        drainSec: 1,
        probeTimeoutMs: 1,
      }),
    ).toBe(true);
  });

  it('reaped orphans add to the running total; their events are dated', () => {
    const state = { ...freshState(), orphansReapedTotal: 3 };
    const ev = {
      level: 'warn' as const,
      event: 'orphans_reaped' as const,
      count: 2,
      pids: [1, 2],
      names: ['node', 'node'],
      rssBytes: 1,
      killed: [],
    };
    const folded = afterOrphans(state, { reaped: [1, 2], events: [ev] }, 42);
    expect(folded.state.orphansReapedTotal).toBe(5);
    expect(folded.events).toEqual([{ ...ev, at: 42 }]);
  });

  it('a stop says what was stopped, killed and survived, and why', () => {
    const stop = { type: 'stop' as const, targets: [], reason: 'not_listening' as const };
    expect(afterStop(stop, { stopped: [1], killed: [2], survivors: [3] }, 9)).toEqual({
      level: 'info',
      event: 'gateway_stopped',
      at: 9,
      reason: 'not_listening',
      pids: [1],
      killed: [2],
      survivors: [3],
    });
  });
});

describe('decideRun: the saved state it starts from', () => {
  it('a wall-clock jump is taken out with the boot-time clock before anything else', () => {
    const clock = { bootId: 'b', uptimeMs: 1_000_000 };
    const saved: State = { ...freshState(), lastCheckAt: sec(0), healthySince: sec(0), clock };
    const o = { ...obs(3630, 'healthy'), clock: { bootId: 'b', uptimeMs: 1_030_000 } };
    expect(decideRun(settings, saved, o).before.healthySince).toBe(sec(3600));
  });

  it('a healthy check that only reaps orphans ends the reminder clock of the closed incident', () => {
    const state: State = { ...downSince(0), lastAlertAt: sec(300) };
    const d = decideRun(remind, state, obs(400, 'healthy'));
    expect(d.actions.map((a) => a.type)).toEqual(['reap-orphans']);
    expect(d.state.lastAlertAt).toBeNull();
  });
});

describe('actions: folding orphans with nothing unattributed', () => {
  it('the state is kept whole, only the total grows', () => {
    const state: State = { ...freshState(), orphansNoted: [1, 2], lastAlertAt: sec(5) };
    const folded = afterOrphans(state, { reaped: [9], events: [] }, 42);
    expect(folded.state).toEqual({ ...state, orphansReapedTotal: 1 });
    expect(folded.events).toEqual([]);
  });
});
