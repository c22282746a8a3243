import { describe, expect, it } from 'vitest';
import type { ChannelAccount } from '../../../src/lib/channels/types.js';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { cadenceSlackMs } from '../../../src/lib/decide/cadence.js';
import { gatewayOwner, gw, names, scenario, sec, T0, tree } from './scenario.js';

/** Cron's real cadence: every 30 s, each check a fraction of a second off (cron's start delay,
 * node's start, the probe). These are the times the issue measured: a hang of 59.5 s. */
const owner = gatewayOwner(7, 70);
const hung = { gateways: [gw(7, 1000)], portOwner: owner };

const GW = { pid: 4242, startTicks: 777 };
const down: ChannelAccount = {
  channel: 'telegram',
  account: 'default',
  enabled: true,
  managed: true,
  running: true,
  connected: false,
  lifecycle: 'ready',
  healthState: 'disconnected',
  restartPending: false,
  reconnectAttempts: 0,
  lastError: 'fetch failed',
  lastStartAt: T0 - 3_600_000,
  lastTransportActivityAt: null,
  fix: null,
};
const channels = { channels: { ok: true as const, accounts: [down] }, liveGateway: GW };

describe("decide on cron's real cadence (limits that are multiples of 30 s)", () => {
  it('a hang unresponsive for 59.5 s on a 30 s cadence is hung at that check, not 30 s later', () => {
    const s = scenario();
    expect(s.check(5, 'unresponsive', hung).status).toBe('unresponsive');
    expect(s.check(35.2, 'unresponsive', hung).status).toBe('unresponsive');
    const d = s.check(64.5, 'unresponsive', hung);
    expect(d.status).toBe('hung');
    expect(names(d.events)).toEqual(['gateway_hung']);
  });

  it('a faster cadence is not acted on early: checks 1 s apart wait for the whole limit, less a tenth of a second', () => {
    const s = scenario();
    s.check(0, 'unresponsive', hung);
    for (let at = 1; at <= 59; at++)
      expect(s.check(at, 'unresponsive', hung).status).toBe('unresponsive');
    expect(s.check(59.95, 'unresponsive', hung).status).toBe('hung');
    expect(cadenceSlackMs(sec(0), sec(1))).toBe(100);
    expect(cadenceSlackMs(sec(0), sec(30))).toBe(3000);
    expect(cadenceSlackMs(sec(0), sec(600))).toBe(3000);
    expect(cadenceSlackMs(null, sec(30))).toBe(0);
    expect(cadenceSlackMs(sec(30), sec(0))).toBe(0);
  });

  it('memory: above the ceiling for memory.sustainSec (120 s) less a fraction is restarted at that check', () => {
    const s = scenario();
    const settings = s.settings;
    settings.memory = { ...settings.memory, restartAboveMB: 1000, warnAboveMB: null };
    const at = [0, 30.3, 59.9, 90.1, 119.6];
    for (const t of at.slice(0, -1))
      expect(s.check(t, 'healthy', { tree: tree(1200) }).actions.map((a) => a.type)).not.toContain(
        'graceful-restart',
      );
    const d = s.check(at.at(-1)!, 'healthy', { tree: tree(1200) });
    expect(d.actions.map((a) => a.type)).toContain('graceful-restart');
  });

  it('a channel down for channels.downAfterSec less a fraction is acted on at that check; the gateway one window later', () => {
    const s = scenario();
    s.check(0, 'healthy', channels);
    for (let t = 30; t < 600; t += 30) s.check(t - 0.4, 'healthy', channels);
    const first = s.check(599.5, 'healthy', channels);
    expect(first.actions).toEqual([
      { type: 'channel-restart', channel: 'telegram', account: 'default', gateway: GW },
    ]);
    for (let t = 630; t < 1200; t += 30) s.check(t - 0.4, 'healthy', channels);
    const gateway = s.check(1199.6, 'healthy', channels);
    expect(gateway.actions.map((a) => a.type)).toEqual(['graceful-restart']);
  });

  it('backoff: the second restart 60 s after the first is not held for another 30 s', () => {
    const s = scenario();
    expect(s.check(0.6, 'refused').actions.map((a) => a.type)).toContain('restart');
    s.restarted(0.7, 'healthy', { bootSec: 5 });
    expect(s.check(30.3, 'refused').status).toBe('deferred');
    const d = s.check(60.1, 'refused');
    expect(d.status).toBe('down');
    expect(d.actions.map((a) => a.type)).toContain('restart');
  });

  it('the channel look, the orphan pass and the stable reset come on the check that is due', () => {
    const s = scenario();
    s.check(0, 'healthy');
    expect(s.state.orphansScannedAt).toBe(sec(0));
    s.check(30.2, 'healthy');
    const d = s.check(59.9, 'healthy');
    expect(d.actions.map((a) => a.type)).toEqual(['reap-orphans']);
    // restart.stableAfterSec (300 s) less a fraction resets the streak
    const r = scenario();
    r.check(0, 'refused');
    r.restarted(0, 'healthy', { bootSec: 0 });
    for (let t = 30; t < 300; t += 30) r.check(t + 0.2, 'healthy');
    expect(r.state.restarts.consecutive).toBe(1);
    r.check(299.7, 'healthy');
    expect(r.state.restarts.consecutive).toBe(0);
    expect(defaultSettings().restart.stableAfterSec).toBe(300);
  });
});
