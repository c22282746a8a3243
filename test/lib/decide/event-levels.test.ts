import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { afterStop, lockLost } from '../../../src/lib/decide/actions.js';
import { decideRun } from '../../../src/lib/decide/run.js';
import type { DecideSettings } from '../../../src/lib/decide/types.js';
import type { WatchdogEvent } from '../../../src/lib/store/event-types.js';
import { freshState } from '../../../src/lib/store/state.js';
import { gatewayOwner, gw, obs, scenario, sec, T0, tree } from './scenario.js';

/** The level each event the core says is logged and alerted at (ntfy's priority follows it). */
const LEVELS: Record<string, WatchdogEvent['level']> = {
  gateway_down: 'error',
  gateway_hung: 'error',
  port_conflict: 'error',
  crash_loop: 'error',
  restart_failed: 'error',
  channel_down: 'error',
  gateway_unresponsive: 'warn',
  restart_deferred: 'warn',
  incident_reminder: 'warn',
  gateway_stopped_by_user: 'warn',
  action_skipped: 'warn',
  memory_high: 'warn',
  children_high: 'warn',
  event_loop_lag: 'warn',
  disk_low: 'warn',
  channels_unchecked: 'warn',
  channels_over_cap: 'warn',
  lock_lost: 'warn',
  waiting: 'info',
  gateway_recovered: 'info',
  gateway_restart: 'info',
  channel_recovered: 'info',
  resumed: 'info',
  gateway_stopped: 'info',
};

const acct = (account: string, over: Record<string, unknown> = {}) => ({
  channel: 'telegram',
  account,
  enabled: true,
  managed: true,
  running: true,
  connected: true,
  lifecycle: 'ready',
  healthState: null,
  restartPending: false,
  reconnectAttempts: 0,
  lastError: null,
  lastStartAt: T0 - 3_600_000,
  lastTransportActivityAt: null,
  fix: null,
  ...over,
});

/** Every event the core can say, each from the scenario that says it. */
function everyEvent(): WatchdogEvent[] {
  const out: WatchdogEvent[] = [];
  const take = (d: { events: WatchdogEvent[] }) => out.push(...d.events);
  const settings: DecideSettings = {
    ...defaultSettings(),
    notify: { ...defaultSettings().notify, remindAfterSec: 60 },
    memory: { ...defaultSettings().memory, warnAboveMB: 1000, restartAboveMB: null },
    children: { warnCount: 1 },
    eventLoop: { warnMs: 100, afterChecks: 1 },
  };
  // Down, restarted, failed, backoff, crash loop, reminder.
  const s = scenario({ settings });
  take(s.check(0, 'refused'));
  for (let i = 0, t = 0; i < 6; i++, t += 2000) {
    take(s.check(t + 1, 'refused'));
    take(s.restarted(t + 1, 'failed', { bootSec: 1, exitCode: 1 }));
  }
  take(s.check(20_000, 'refused'));
  take(decideRun(settings, s.state, obs(20_100, 'refused')));
  take(s.restarted(30_000, 'healthy'));
  // Unresponsive, hung; a port conflict; stopped by the user.
  const h = scenario();
  const owner = gatewayOwner(7, 70);
  take(h.check(0, 'unresponsive', { gateways: [gw(7, 1000)], portOwner: owner }));
  take(h.check(60, 'unresponsive', { gateways: [gw(7, 1060)], portOwner: owner }));
  take(scenario().check(0, 'unresponsive', { portOwner: gatewayOwner(9, 90, 'other') }));
  take(scenario().check(0, 'refused', { userStop: { at: sec(-10), source: 'openclaw', pid: 1 } }));
  // Signals on a healthy check.
  const big = { ...tree(2000), descendants: 3 };
  const lagging = { delayP99Ms: 500, delayMaxMs: 500 };
  const low = { paths: ['/s'], freeBytes: 1, totalBytes: 100, dev: 1, tmpfs: false };
  const sig = scenario({ settings });
  take(sig.check(0, 'healthy', { tree: big, eventLoop: lagging, disk: { filesystems: [low] } }));
  // Channels: down, recovered, unchecked, over the cap.
  const c = scenario();
  const down = acct('a', { connected: false, healthState: 'disconnected' });
  take(c.check(0, 'healthy', { channels: { ok: true, accounts: [down] } }));
  take(c.check(600, 'healthy', { channels: { ok: true, accounts: [down] } }));
  take(c.check(700, 'healthy', { channels: { ok: true, accounts: [acct('a')] } }));
  take(c.check(800, 'healthy', { channels: { ok: false, code: 'NO_TOKEN' } }));
  const many = Array.from({ length: 40 }, (_, i) => acct(`n${i}`));
  take(scenario().check(0, 'healthy', { channels: { ok: true, accounts: many } }));
  // A pause: skipped, then resumed.
  const pause = { since: T0, until: sec(100), reason: null };
  take(decideRun(defaultSettings(), freshState(), { ...obs(10, 'refused'), pause }));
  take(decideRun(defaultSettings(), freshState(), { ...obs(200, 'refused'), pause }));
  // What act reports through the core's helpers.
  out.push(lockLost([], 0));
  out.push(
    afterStop(
      { type: 'stop', targets: [], reason: 'hung' },
      { stopped: [], killed: [], survivors: [] },
      0,
    ),
  );
  return out;
}

describe('event levels (they set the ntfy priority and what alerts)', () => {
  it('every event the core says carries its level', () => {
    const seen: Record<string, string> = {};
    for (const e of everyEvent()) {
      expect(seen[e.event] ?? e.level, `${e.event} said at two levels`).toBe(e.level);
      seen[e.event] = e.level;
    }
    expect(seen).toEqual(LEVELS);
  });
});
