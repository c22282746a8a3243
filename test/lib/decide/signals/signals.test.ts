import { describe, expect, it } from 'vitest';
import type { ChannelAccount } from '../../../../src/lib/channels/types.js';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import type { DecideSettings } from '../../../../src/lib/decide/types.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { names, scenario, sec, T0, tree } from '../scenario.js';

const GW = { pid: 4242, startTicks: 777 };
const DOWN: ChannelAccount = {
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
  lastError: 'getUpdates failed',
  lastStartAt: T0 - 3_600_000,
  lastTransportActivityAt: null,
  fix: null,
};
const UP: ChannelAccount = { ...DOWN, connected: true, healthState: null, lastError: null };
const seen = (a: ChannelAccount) => ({
  channels: { ok: true as const, accounts: [a] },
  liveGateway: GW,
});

function settings(action: 'restart' | 'alert' = 'restart'): DecideSettings {
  const s = defaultSettings();
  return {
    ...s,
    memory: { ...s.memory, restartAboveMB: 500, sustainSec: 0 },
    channels: { ...s.channels, downAfterSec: 0, action },
  };
}
/** A restart a moment ago (a crash, say): backoff holds the next one until 600 s. */
const inBackoff = () => ({
  ...freshState(),
  restarts: { total: 1, consecutive: 1, lastAt: sec(-1), nextAllowedAt: sec(600) },
});

describe('signals: a graceful restart held by backoff does not end the check', () => {
  it('memory over the ceiling in backoff: the channel signal still runs, its account is restarted, its state saved', () => {
    const s = scenario({ settings: settings(), state: inBackoff() });
    const d = s.check(0, 'healthy', { tree: tree(800), ...seen(DOWN) });
    expect(names(d.events)).toEqual(['memory_high', 'restart_deferred', 'channel_down']);
    expect(d.actions).toEqual([
      { type: 'channel-restart', channel: 'telegram', account: 'default', gateway: GW },
    ]);
    expect(d.state.channels.checkedAt).toBe(sec(0));
    expect(d.state.channels.accounts[0]).toMatchObject({ up: false, said: 'down', step: 1 });
    // Still held at the next check: restart_deferred is not said again.
    const again = s.check(30, 'healthy', { tree: tree(800), ...seen(DOWN) });
    expect(names(again.events)).toEqual([]);
    expect(again.state.channels.checkedAt).toBe(sec(30));
  });

  it('a stretch held after the gateway was down (deferred there too) says restart_deferred for memory', () => {
    // The last check was down and deferred by the backoff: `waiting` is backoff, not healthy.
    const state = { ...inBackoff(), waiting: 'backoff' as const, healthySince: null };
    const s = scenario({ settings: settings(), state });
    const d = s.check(0, 'healthy', { tree: tree(800) });
    expect(d.status).toBe('degraded');
    expect(names(d.events)).toEqual(['memory_high', 'restart_deferred']);
  });

  it('nothing else to do: degraded, exit 0, restart_deferred once per stretch, no waiting; restarted once allowed', () => {
    const s = scenario({ settings: settings('alert'), state: inBackoff() });
    const all: string[] = [];
    for (const at of [0, 30, 60, 90]) {
      const d = s.check(at, 'healthy', { tree: tree(800), ...seen(UP) });
      expect(d).toMatchObject({ status: 'degraded', exitCode: 0 });
      expect(d.detail).toMatch(/restart deferred until .* \(backoff\)/);
      expect(d.actions.some((a) => a.type === 'graceful-restart')).toBe(false);
      all.push(...names(d.events));
    }
    expect(all).toEqual(['memory_high', 'restart_deferred']);
    expect(s.state.waiting).toBe('backoff');
    const allowed = s.check(600, 'healthy', { tree: tree(800), ...seen(UP) });
    expect(allowed.actions.map((a) => a.type)).toEqual(['graceful-restart']);
    expect(allowed.state.waiting).toBeNull();
    // Under the ceiling: the stretch ends; a later hold says restart_deferred again.
    const fine = s.check(630, 'healthy', { tree: tree(100), ...seen(UP) });
    expect(fine).toMatchObject({ status: 'healthy', exitCode: 0 });
    expect(fine.state.waiting).toBeNull();
  });
});
