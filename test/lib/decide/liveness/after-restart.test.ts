import { describe, expect, it } from 'vitest';
import {
  afterRestart,
  backoffFromSpawn,
  type RestartOutcome,
} from '../../../../src/lib/decide/liveness/after-restart.js';
import { CONFIG_EXIT } from '../../../../src/lib/decide/liveness/restart-failure.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';
import { names, sec } from '../scenario.js';

const outcome = (over: Partial<RestartOutcome> = {}): RestartOutcome => ({
  method: 'openclaw',
  pid: 100,
  startTicks: 1000,
  startedAt: sec(0),
  endedAt: sec(10),
  result: 'healthy',
  ...over,
});
const down: State = {
  ...freshState(),
  incident: { kind: 'down', since: sec(-30) },
  unhealthySince: sec(-30),
};

describe('afterRestart: a restart folded into the state', () => {
  it('never a pid without its start time: a spawn whose start time is unknown records no pid (after-restart: start time)', () => {
    for (const result of ['healthy', 'pending'] as const) {
      const r = afterRestart(down, outcome({ startTicks: null, result }), 'crashed');
      expect(r.state.spawned).toMatchObject({ pid: null, startTicks: null, at: sec(0) });
    }
    const known = afterRestart(down, outcome({ result: 'pending' }), 'crashed');
    expect(known.state.spawned).toEqual({
      pid: 100,
      startTicks: 1000,
      at: sec(0),
      method: 'openclaw',
    });
  });

  it('healthy: recovered at the end of verify, with the downtime from the first bad check; exit 0', () => {
    const r = afterRestart(down, outcome(), 'hung');
    expect(r.events).toEqual([
      {
        level: 'info',
        event: 'gateway_restart',
        at: sec(0),
        reason: 'hung',
        method: 'openclaw',
        pid: 100,
      },
      {
        level: 'info',
        event: 'gateway_recovered',
        downtimeSec: 40,
        downtimeFrom: 'first_check',
        at: sec(10),
      },
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.state).toMatchObject({ incident: null, healthySince: sec(10), slowestBootSec: 10 });
    expect(r.state.spawned?.bootSec).toBe(10);
  });

  it('healthy after a restart resets healthySince to the end of verify', () => {
    const r = afterRestart({ ...down, healthySince: sec(-500) }, outcome(), 'memory');
    expect(r.state.healthySince).toBe(sec(10));
  });

  it('pending: the gateway is recorded, the incident stays open, exit 0', () => {
    const r = afterRestart(down, outcome({ result: 'pending' }), 'crashed');
    expect(names(r.events)).toEqual(['gateway_restart']);
    expect(r.exitCode).toBe(0);
    expect(r.state.incident).toEqual(down.incident);
  });

  it('failed: restart_failed with what the command said, nothing spawned recorded, exit 1', () => {
    const r = afterRestart(
      down,
      outcome({ result: 'failed', exitCode: 1, signal: null, output: 'boom', error: 'spawn' }),
      'crashed',
    );
    expect(r.events[1]).toEqual({
      level: 'error',
      event: 'restart_failed',
      at: sec(10),
      method: 'openclaw',
      exitCode: 1,
      signal: null,
      error: 'spawn',
      output: 'boom',
    });
    expect(r.state.spawned).toBeNull();
    expect(r.exitCode).toBe(1);
    const bare = afterRestart(down, outcome({ result: 'failed' }), 'crashed');
    expect(bare.events[1]).toEqual({
      level: 'error',
      event: 'restart_failed',
      at: sec(10),
      method: 'openclaw',
      exitCode: null,
      signal: null,
      output: '',
    });
  });

  it(`exit ${CONFIG_EXIT} adds the configuration hint; another exit code does not`, () => {
    const r = afterRestart(down, outcome({ result: 'failed', exitCode: CONFIG_EXIT }), 'crashed');
    expect(r.events[1]).toHaveProperty('hint');
    const other = afterRestart(down, outcome({ result: 'failed', exitCode: 77 }), 'crashed');
    expect(other.events[1]).not.toHaveProperty('hint');
  });

  it('reminds as of the end of verify when the incident is still open past notify.remindAfterSec', () => {
    const r = afterRestart(down, outcome({ result: 'pending' }), 'crashed', 30);
    expect(r.events.at(-1)).toEqual({
      level: 'warn',
      event: 'incident_reminder',
      kind: 'down',
      sinceSec: 40,
      at: sec(10),
    });
    expect(names(afterRestart(down, outcome({ result: 'pending' }), 'crashed', 41).events)).toEqual(
      ['gateway_restart'],
    );
  });
});

describe('afterRestart: the first starts of a new version', () => {
  const UPDATE_AT = sec(-20);
  const updated = (over: Partial<State> = {}): State => ({
    ...down,
    update: { rowAt: sec(-25), at: UPDATE_AT, from: '1.0', to: '2.0', failedSaid: false },
    ...over,
  });

  it('the start right after the replacement failing with any exit: update_failed, without the exit-78 hint', () => {
    const r = afterRestart(updated(), outcome({ result: 'failed', exitCode: 1 }), 'updated');
    expect(r.events).toEqual([
      {
        level: 'error',
        event: 'update_failed',
        at: sec(10),
        from: '1.0',
        to: '2.0',
        exitCode: 1,
        output: '',
      },
    ]);
    expect(r.state.update?.failedSaid).toBe(true);
  });

  it('a later start exiting 78 before the new version was ever healthy: update_failed', () => {
    const r = afterRestart(updated(), outcome({ result: 'failed', exitCode: 78 }), 'crashed');
    expect(names(r.events)).toEqual(['gateway_restart', 'update_failed']);
  });

  it('a later start exiting otherwise, or once the new version was healthy (even at the update’s ms): restart_failed', () => {
    const other = afterRestart(updated(), outcome({ result: 'failed', exitCode: 1 }), 'crashed');
    expect(names(other.events)).toEqual(['gateway_restart', 'restart_failed']);
    for (const lastHealthyAt of [UPDATE_AT, sec(-10)]) {
      const r = afterRestart(
        updated({ lastHealthyAt }),
        outcome({ result: 'failed', exitCode: 78 }),
        'crashed',
      );
      expect(names(r.events)).toEqual(['gateway_restart', 'restart_failed']);
    }
    const before = afterRestart(
      updated({ lastHealthyAt: UPDATE_AT - 1 }),
      outcome({ result: 'failed', exitCode: 78 }),
      'crashed',
    );
    expect(names(before.events)).toEqual(['gateway_restart', 'update_failed']);
  });

  it('gateway_updated is info, and names nothing when the update is not known', () => {
    const r = afterRestart(down, outcome({ result: 'healthy' }), 'updated');
    expect(r.events[0]).toMatchObject({
      level: 'info',
      event: 'gateway_updated',
      from: null,
      to: null,
    });
  });
});

describe('afterRestart: the boot time verify measured', () => {
  it('a boot measured on the boot-time clock is what is learnt, not the wall-clock span', () => {
    const r = afterRestart(down, outcome({ bootMs: 4000 }), 'crashed');
    expect(r.state.slowestBootSec).toBe(4);
    expect(r.state.spawned?.bootSec).toBe(4);
  });

  it('a verify that stalled on the way teaches nothing', () => {
    const r = afterRestart(down, outcome({ stalled: true }), 'crashed');
    expect(r.state.slowestBootSec).toBeNull();
  });
});

describe('afterRestart: an in-place request accepted, then a clean stop and a start (said)', () => {
  const counted: State = {
    ...down,
    restarts: { total: 1, consecutive: 1, lastAt: sec(-1), nextAllowedAt: sec(59) },
  };
  const rpc = outcome({
    method: 'rpc',
    pid: 50,
    startTicks: 500,
    result: 'pending',
    endedAt: sec(0),
  });
  const spawn = outcome({ startedAt: sec(20), endedAt: sec(25) });

  it('the restart is said once: the start that follows folds in without a second gateway_restart', () => {
    const asked = afterRestart(counted, rpc, 'channel');
    expect(names(asked.events)).toEqual(['gateway_restart']);
    const started = afterRestart(asked.state, spawn, 'channel', null, true);
    expect(names(started.events)).toEqual(['gateway_recovered']);
    expect(started.state.spawned).toMatchObject({ pid: 100, method: 'openclaw', at: sec(20) });
    // Not said: the same fold says it (the spawn path's own restart).
    expect(names(afterRestart(asked.state, spawn, 'channel').events)).toEqual([
      'gateway_restart',
      'gateway_recovered',
    ]);
  });

  it('one backoff step (taken at the decision), its clock moved to the start that followed', () => {
    const asked = afterRestart(counted, rpc, 'channel');
    const started = afterRestart(asked.state, spawn, 'channel', null, true);
    expect(started.state.restarts).toEqual({
      total: 1,
      consecutive: 1,
      lastAt: sec(20),
      nextAllowedAt: sec(80),
    });
  });

  it('a failed start after it still says restart_failed', () => {
    const asked = afterRestart(counted, rpc, 'channel');
    const failed = outcome({ startedAt: sec(20), result: 'failed', exitCode: 1 });
    const r = afterRestart(asked.state, failed, 'channel', null, true);
    expect(names(r.events)).toEqual(['restart_failed']);
    expect(r.exitCode).toBe(1);
  });
});

describe('backoffFromSpawn: the backoff runs from the start', () => {
  const restarts = (lastAt: number | null, nextAllowedAt: number | null): State => ({
    ...freshState(),
    restarts: { total: 1, consecutive: 1, lastAt, nextAllowedAt },
  });

  it('moves the last restart and the next allowed one to the start', () => {
    expect(backoffFromSpawn(restarts(sec(0), sec(60)), sec(5)).restarts).toMatchObject({
      lastAt: sec(5),
      nextAllowedAt: sec(65),
    });
    expect(backoffFromSpawn(restarts(sec(0), null), sec(5)).restarts).toMatchObject({
      lastAt: sec(5),
      nextAllowedAt: null,
    });
  });

  it('no restart recorded, or a start dated before it (the clock went back): unchanged', () => {
    const none = restarts(null, null);
    expect(backoffFromSpawn(none, sec(5))).toBe(none);
    const later = restarts(sec(10), sec(70));
    expect(backoffFromSpawn(later, sec(5))).toBe(later);
  });
});

describe('afterRestart: another state dir took our port while ours booted (soak seed 77)', () => {
  const taken = outcome({
    result: 'failed',
    error: 'port taken',
    conflict: { pid: 4242, name: 'openclaw-gateway' },
  });

  it('a port_conflict (holder other_gateway), never a recovery; ours is not followed', () => {
    const r = afterRestart(down, taken, 'crashed');
    expect(names(r.events)).toEqual(['gateway_restart', 'port_conflict']);
    expect(r.events[1]).toMatchObject({ pid: 4242, holder: 'other_gateway', verdict: 'healthy' });
    expect(r.state.incident).toEqual({ kind: 'conflict', since: sec(10) });
    expect(r.state.spawned).toBeNull();
    expect(r.exitCode).toBe(1);
  });

  it('with no incident open (a restart of a healthy gateway): an error, opening the conflict', () => {
    const r = afterRestart(freshState(), taken, 'memory');
    expect(r.events[1]).toMatchObject({ level: 'error', event: 'port_conflict' });
    expect(r.state.incident).toEqual({ kind: 'conflict', since: sec(10) });
  });

  it('said once per incident', () => {
    const open: State = { ...down, incident: { kind: 'conflict', since: sec(-5) } };
    const r = afterRestart(open, taken, 'crashed');
    expect(names(r.events)).toEqual(['gateway_restart']);
    expect(r.state.incident).toEqual({ kind: 'conflict', since: sec(-5) });
  });
});
