import { describe, expect, it } from 'vitest';
import {
  gatewayOwner,
  gw,
  names,
  reapBeforeRestart,
  restartAction,
  scenario,
  sec,
} from '../scenario.js';
import { freshState } from '../../../../src/lib/store/state.js';

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
