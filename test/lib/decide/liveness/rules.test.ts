import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { unresponsive } from '../../../../src/lib/decide/liveness/rules.js';
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
import { freshState } from '../../../../src/lib/store/state.js';
import { ledger, row } from '../openclaw/ledger.js';

/** A gateway in the process list that cannot be attributed to this watchdog (another state dir's
 * or profile's, as far as its environment tells): it may delay a restart while young, and is never
 * stopped. */
const unattributed = (pid: number, ageSec: number) => gw(pid, ageSec, false);

describe('rules: only our gateways are stop targets', () => {
  it('stops only our hung gateway while another state dir’s gateway is listed (rules: ours filter)', () => {
    const owner = gatewayOwner(7, 70);
    const s = scenario();
    const seen = (t: number) => ({
      gateways: [gw(7, 1000 + t), unattributed(8, 1000 + t)],
      portOwner: owner,
    });
    s.check(0, 'unresponsive', seen(0));
    const hung = s.check(60, 'unresponsive', seen(60));
    expect(hung.status).toBe('hung');
    expect(hung.actions).toEqual([
      { type: 'stop', targets: [{ pid: 7, startTicks: 70 }], reason: 'hung' },
      reapBeforeRestart,
      restartAction('hung'),
    ]);
  });

  it('stops only our gateway stuck starting while another state dir’s gateway is listed (rules: ours filter)', () => {
    const s = scenario();
    const seen = (t: number) => ({ gateways: [unattributed(8, 900 + t), gw(7, 500 + t)] });
    s.check(0, 'starting', seen(0));
    const stuck = s.check(121, 'starting', seen(121));
    expect(stuck.status).toBe('hung');
    expect(stuck.actions[0]).toEqual({
      type: 'stop',
      targets: [{ pid: 7, startTicks: 70 }],
      reason: 'stuck_starting',
    });
  });

  it('a deaf gateway of ours is stopped alone while another state dir’s gateway is listed first (rules: ours filter)', () => {
    const s = scenario();
    const seen = { gateways: [unattributed(8, 5000), gw(7, 1000)] };
    const first = s.check(0, 'refused', seen);
    expect(first.status).toBe('starting');
    expect(first.detail).toBe('gateway pid 7 is alive but not listening (0 s)');
    expect(first.state.notListening).toMatchObject({ pid: 7 });
    const deaf = s.check(121, 'refused', seen);
    expect(deaf.status).toBe('down');
    expect(deaf.actions[0]).toEqual({
      type: 'stop',
      targets: [{ pid: 7, startTicks: 70 }],
      reason: 'not_listening',
    });
  });

  it('nothing listens and only another state dir’s gateway runs: restarted at once, nothing stopped (rules: ours filter)', () => {
    const d = scenario().check(0, 'refused', { gateways: [unattributed(8, 5000)] });
    expect(d.status).toBe('down');
    expect(names(d.events)).toEqual(['gateway_down']);
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
  });

  it('a hung gateway with no gateway of ours listed stops the port holder that is ours, once', () => {
    const owner = gatewayOwner(7, 70);
    const s = scenario();
    const seen = { gateways: [gw(7, 1000)], portOwner: owner };
    s.check(0, 'unresponsive', seen);
    const hung = s.check(60, 'unresponsive', seen);
    // Listed and holding the port: one target, not two.
    expect(hung.actions[0]).toEqual({
      type: 'stop',
      targets: [{ pid: 7, startTicks: 70 }],
      reason: 'hung',
    });
  });
});

describe('rules: a healthy check learns the boot time only from the gateway it started', () => {
  const spawned = { pid: 5, startTicks: 50, at: sec(0), method: 'openclaw' };

  it('learns when the spawned gateway is known to be alive (rules: spawnedAlive)', () => {
    const d = scenario({ state: { ...freshState(), spawned } }).check(40, 'healthy', {
      spawnedAlive: true,
    });
    expect(d.state.slowestBootSec).toBe(40);
  });

  it('learns nothing when nobody looked whether it is alive (rules: spawnedAlive)', () => {
    const d = scenario({ state: { ...freshState(), spawned } }).check(40, 'healthy');
    expect(d.state.slowestBootSec).toBeNull();
    expect(d.state.spawned).toEqual(spawned);
  });
});

describe('rules: what a stop takes, and what is a conflict', () => {
  it('a hung gateway of ours and another gateway of ours holding the port: both are stopped', () => {
    const s = scenario();
    const seen = { gateways: [gw(7, 1000)], portOwner: gatewayOwner(8, 80) };
    s.check(0, 'unresponsive', seen);
    expect(s.check(60, 'unresponsive', seen).actions[0]).toEqual({
      type: 'stop',
      targets: [
        { pid: 7, startTicks: 70 },
        { pid: 8, startTicks: 80 },
      ],
      reason: 'hung',
    });
  });

  it('hung with only another state dir’s gateway listed and no holder seen: restarted, nothing stopped, no conflict', () => {
    const s = scenario();
    const seen = { gateways: [unattributed(8, 5000)] };
    s.check(0, 'unresponsive', seen);
    const d = s.check(60, 'unresponsive', seen);
    expect(d.status).toBe('hung');
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('hung')]);
  });

  it('hung with nothing listed and no holder seen: a conflict (nothing of ours to stop), never a restart', () => {
    const s = scenario();
    s.check(0, 'unresponsive');
    const d = s.check(60, 'unresponsive');
    expect(d.status).toBe('port-conflict');
    expect(d.actions).toEqual([]);
  });

  it('nothing answered: a program seen on the port is no conflict yet (it may have bound after the probe)', () => {
    const program = { ...gatewayOwner(9, 90, 'other'), gateway: false, name: 'nginx' };
    const d = scenario().check(0, 'refused', { portOwner: program });
    expect(d.status).toBe('down');
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
  });

  it('alive but deaf past the grace: gateway_down is an error, and a start near the breaker names why', () => {
    const s = scenario();
    const two = ledger([row(20, { pid: 2 }), row(40, { pid: 3 })]);
    s.check(0, 'refused', { gateways: [gw(7, 1000)] });
    const d = s.check(200, 'refused', { gateways: [gw(7, 1200)], bootLedger: two });
    expect(d.events.find((e) => e.event === 'gateway_down')).toMatchObject({
      level: 'error',
      pid: 7,
    });
    expect(d.events.find((e) => e.event === 'start_near_breaker')).toMatchObject({
      reason: 'not_listening',
    });
    expect(d.state.incident).toMatchObject({ kind: 'down', since: sec(0) });
  });
});

describe('rules: the hung rule on its own never stops a holder that is not ours', () => {
  it('a gateway of another state dir holding the port is no stop target, even past the conflict check', () => {
    const other = gatewayOwner(9, 90, 'other');
    const step = {
      settings: defaultSettings(),
      obs: obs(60, 'unresponsive', { gateways: [gw(7, 1000)], portOwner: other }),
      now: sec(60),
      state: { ...freshState(), unresponsiveSince: sec(0) },
      events: [],
      slackMs: 0,
    };
    const d = unresponsive(step);
    expect(d.actions[0]).toEqual({
      type: 'stop',
      targets: [{ pid: 7, startTicks: 70 }],
      reason: 'hung',
    });
  });
});
