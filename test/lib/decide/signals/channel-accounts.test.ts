import { describe, expect, it } from 'vitest';
import type { ChannelAccount } from '../../../../src/lib/channels/types.js';
import {
  classifyAccount,
  CONNECT_GRACE_MS,
  freshTrack,
  mapChannelTimes,
  trackKey,
} from '../../../../src/lib/decide/signals/channel-accounts.js';
import { BREAKER_ERROR } from '../../../../src/lib/decide/openclaw/breaker-error.js';
import { names, scenario, T0 } from '../scenario.js';

const NOW = T0 + 10 * 3_600_000;
const STALE = 1800;

/** An account that is up and fine; `over` sets the one fact a test is about. */
const acct = (over: Partial<ChannelAccount> = {}): ChannelAccount => ({
  channel: 'telegram',
  account: 'default',
  enabled: true,
  managed: true,
  running: true,
  connected: true,
  lifecycle: 'ready',
  healthState: null,
  restartPending: false,
  reconnectAttempts: 0,
  lastError: null,
  lastStartAt: NOW - 3_600_000,
  lastTransportActivityAt: null,
  fix: null,
  ...over,
});
const verdict = (over: Partial<ChannelAccount>) => classifyAccount(acct(over), NOW, STALE);
const GW = { pid: 4242, startTicks: 777 };
const seen = (a: ChannelAccount) => ({
  channels: { ok: true as const, accounts: [a] },
  liveGateway: GW,
});

describe('classifyAccount: each signal alone', () => {
  it('lifecycle recovering alone (no restartPending) is OpenClaw retrying (channel-accounts: recovering)', () => {
    expect(verdict({ lifecycle: 'recovering', connected: false })).toEqual({ kind: 'retrying' });
  });

  it('restartPending alone (lifecycle ready) is OpenClaw retrying (channel-accounts: restartPending)', () => {
    expect(verdict({ restartPending: true, healthState: 'disconnected' })).toEqual({
      kind: 'retrying',
    });
  });

  it('lifecycle blocked alone (no health state) is blocked (channel-accounts: blocked)', () => {
    expect(verdict({ lifecycle: 'blocked' })).toEqual({ kind: 'blocked', state: 'blocked' });
  });

  it('health terminal-disconnect alone (lifecycle ready) is blocked (channel-accounts: terminal-disconnect)', () => {
    expect(verdict({ healthState: 'terminal-disconnect' })).toEqual({
      kind: 'blocked',
      state: 'blocked',
    });
  });

  it('blocked wins over a pending restart: a bad token is never restarted', () => {
    expect(verdict({ lifecycle: 'blocked', restartPending: true })).toMatchObject({
      kind: 'blocked',
    });
  });

  it('disabled or not managed: skipped, whatever else it says', () => {
    expect(verdict({ enabled: false, healthState: 'disconnected' })).toEqual({ kind: 'skip' });
    expect(verdict({ managed: false, lifecycle: 'blocked' })).toEqual({ kind: 'skip' });
    // enabled null (not said) is not disabled
    expect(verdict({ enabled: null })).toEqual({ kind: 'up' });
  });

  it('stopped: the user’s stop below OpenClaw’s 10 attempts, given up on at 10', () => {
    expect(verdict({ lifecycle: 'stopped', reconnectAttempts: 9 })).toEqual({ kind: 'skip' });
    expect(verdict({ lifecycle: 'stopped', reconnectAttempts: 10 })).toEqual({
      kind: 'down',
      state: 'stopped',
      graced: { from: NOW - 3_600_000 },
    });
  });

  it('a health state other than healthy is down with that state; healthy is not', () => {
    expect(verdict({ healthState: 'stale-socket' })).toEqual({
      kind: 'down',
      state: 'stale-socket',
    });
    expect(verdict({ healthState: 'healthy' })).toEqual({ kind: 'up' });
  });

  it('a lifecycle other than ready is down, graced from its last start; null is not', () => {
    expect(verdict({ lifecycle: 'starting', lastStartAt: null })).toEqual({
      kind: 'down',
      state: 'starting',
      graced: { from: null },
    });
    expect(verdict({ lifecycle: null })).toEqual({ kind: 'up' });
  });

  it('stale: no transport activity for more than staleAfterSec, counted from the later of activity and start', () => {
    const at = (activityAgoSec: number, startAgoSec: number | null) =>
      verdict({
        lastTransportActivityAt: NOW - activityAgoSec * 1000,
        lastStartAt: startAgoSec === null ? null : NOW - startAgoSec * 1000,
      });
    expect(at(STALE, 7200)).toEqual({ kind: 'up' });
    expect(at(STALE + 1, 7200)).toEqual({ kind: 'down', state: 'stale' });
    expect(at(STALE + 1, null)).toEqual({ kind: 'down', state: 'stale' });
    // Restarted a minute ago, no activity since: quiet, within its window.
    expect(at(7200, 60)).toEqual({ kind: 'quiet' });
    // Activity after the start: up.
    expect(at(30, 60)).toEqual({ kind: 'up' });
    // Not connected, or staleness off, or never any activity: never stale.
    expect(verdict({ connected: false, lastTransportActivityAt: NOW - 86_400_000 })).toEqual({
      kind: 'up',
    });
    expect(classifyAccount(acct({ lastTransportActivityAt: NOW - 86_400_000 }), NOW, 0)).toEqual({
      kind: 'up',
    });
    expect(verdict({ lastTransportActivityAt: null, lastStartAt: NOW - 86_400_000 })).toEqual({
      kind: 'up',
    });
  });
});

describe('channel accounts through decide', () => {
  it('an account recovering on OpenClaw’s own ladder is never restarted by the watchdog (channel-accounts: recovering)', () => {
    const s = scenario();
    const recovering = acct({ lifecycle: 'recovering', connected: false, lastStartAt: T0 });
    for (const t of [0, 600, 1200, 1800, 2400]) {
      const d = s.check(t, 'healthy', seen(recovering));
      expect(d.actions.map((a) => a.type)).not.toContain('channel-restart');
      expect(d.actions.map((a) => a.type)).not.toContain('graceful-restart');
      expect(names(d.events)).toEqual([]);
    }
  });

  it('a bad-token account (lifecycle blocked alone) alerts once and is never restarted (channel-accounts: blocked)', () => {
    const s = scenario();
    const blocked = acct({ lifecycle: 'blocked', connected: false, fix: 'set a new token' });
    const first = s.check(0, 'healthy', seen(blocked));
    expect(first.events).toMatchObject([
      { level: 'error', event: 'channel_down', state: 'blocked', fix: 'set a new token' },
    ]);
    for (const t of [600, 1200, 1800]) {
      const d = s.check(t, 'healthy', seen(blocked));
      expect(d.actions.map((a) => a.type)).toEqual(['reap-orphans']);
      expect(d.events).toEqual([]);
    }
  });

  it('a terminal disconnect alone alerts once and is never restarted (channel-accounts: terminal-disconnect)', () => {
    const s = scenario();
    const terminal = acct({ healthState: 'terminal-disconnect', connected: false });
    expect(names(s.check(0, 'healthy', seen(terminal)).events)).toEqual(['channel_down']);
    for (const t of [600, 1200]) {
      const d = s.check(t, 'healthy', seen(terminal));
      expect(d.actions.map((a) => a.type)).not.toContain('channel-restart');
    }
  });
});

describe('channel tracks', () => {
  it('a track key holds channel and account apart; a fresh track is up with no timers', () => {
    expect(trackKey({ channel: 'a', account: 'b' })).toBe('a\nb');
    expect(trackKey({ channel: 'a', account: 'b' })).not.toBe(
      trackKey({ channel: 'ab', account: '' }),
    );
    expect(freshTrack(acct())).toEqual({
      channel: 'telegram',
      account: 'default',
      up: true,
      since: null,
      said: null,
      step: 0,
      stepAt: null,
      ownStop: false,
    });
  });

  it('mapChannelTimes moves every saved time and keeps the nulls', () => {
    const c = {
      checkedAt: 1000,
      unchecked: null,
      overCap: 0,
      accounts: [{ ...freshTrack(acct()), up: false, since: 2000, stepAt: null }],
    };
    const moved = mapChannelTimes(c, (t) => t + 5);
    expect(moved.checkedAt).toBe(1005);
    expect(moved.accounts[0]).toMatchObject({ since: 2005, stepAt: null });
    expect(mapChannelTimes({ ...c, checkedAt: null }, (t) => t + 5).checkedAt).toBeNull();
  });

  it('OpenClaw’s connect grace is 120 s', () => {
    expect(CONNECT_GRACE_MS).toBe(120_000);
  });
});

describe('classifyAccount: the edges', () => {
  it('an account running again with the breaker’s old lastError is judged by its state, not held for safe mode', () => {
    const lastError = `${BREAKER_ERROR}: 3 unclean boot(s) within 300000ms`;
    expect(verdict({ running: true, lastError })).toEqual({ kind: 'up' });
    expect(verdict({ running: true, lastError, healthState: 'disconnected' })).toEqual({
      kind: 'down',
      state: 'disconnected',
    });
    expect(verdict({ running: false, lifecycle: 'stopped', lastError })).toEqual({
      kind: 'suppressed',
    });
  });

  it('activity at the very millisecond of its last start counts as activity since the start (up, not quiet)', () => {
    const start = NOW - 60_000;
    expect(verdict({ lastStartAt: start, lastTransportActivityAt: start })).toEqual({ kind: 'up' });
    expect(verdict({ lastStartAt: start, lastTransportActivityAt: start - 1 })).toEqual({
      kind: 'quiet',
    });
  });
});
