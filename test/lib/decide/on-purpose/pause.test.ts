import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { decide } from '../../../../src/lib/decide/decide.js';
import { applyPause } from '../../../../src/lib/decide/on-purpose/pause.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { decideRun } from '../../../../src/lib/decide/run.js';
import { gw, names, obs as seen, restartAction, scenario, sec, T0, tree } from '../scenario.js';

const settings = defaultSettings();
const obs = (now: number) => ({
  now,
  probe: { verdict: 'refused' as const, startup: null, reason: 'refused', ms: 1 },
  gateways: [],
  portOwner: null,
});

describe('applyPause', () => {
  it('carries out nothing while paused, says what it skipped, and does not count the skipped restart', () => {
    const saved = freshState();
    const d = applyPause(
      decide(settings, saved, obs(1000)),
      { since: 0, until: 5000, reason: 'x' },
      1000,
      saved,
    );
    expect(d.actions).toEqual([]);
    expect(d.events.map((e) => e.event)).toEqual(['gateway_down', 'action_skipped']);
    expect(d.events[1]).toMatchObject({ reason: 'paused', actions: ['reap-orphans', 'restart'] });
    expect(d.state.restarts).toEqual(saved.restarts);
    expect(d.pauseExpired).toBe(false);
  });

  it('an expired pause says resumed and lets the decision through', () => {
    const saved = freshState();
    const d = applyPause(
      decide(settings, saved, obs(9000)),
      { since: 0, until: 5000, reason: null },
      9000,
      saved,
    );
    expect(d.pauseExpired).toBe(true);
    expect(d.events[0]).toMatchObject({ event: 'resumed', reason: 'expired', pausedSec: 5 });
    expect(d.actions.at(-1)).toEqual(restartAction('crashed'));
  });

  it('no pause: the decision as it is', () => {
    const d = decide(settings, freshState(), obs(0));
    expect(applyPause(d, null, 0, freshState())).toEqual({ ...d, pauseExpired: false });
  });
});

describe('a pause on a healthy check', () => {
  const pause = (untilSec: number) => ({ since: T0, until: sec(untilSec), reason: 'upgrade' });

  it('the routine orphan pass of a healthy check is dropped without an action_skipped (pause: healthy check)', () => {
    const d = decideRun(settings, freshState(), { ...seen(10, 'healthy'), pause: pause(3600) });
    expect(d).toMatchObject({ status: 'healthy', paused: true, actions: [], events: [] });
    expect(d.detail).toBe('healthy (paused)');
    expect(d.state.orphansScannedAt).toBe(sec(10));
  });

  it('a graceful memory restart of a healthy gateway is skipped and said (pause: healthy check)', () => {
    const memory = { ...settings.memory, restartAboveMB: 500, warnAboveMB: null, sustainSec: 0 };
    const d = decideRun({ ...settings, memory }, freshState(), {
      ...seen(10, 'healthy', { tree: tree(800) }),
      pause: pause(3600),
    });
    expect(d.actions).toEqual([]);
    expect(names(d.events)).toEqual(['memory_high', 'action_skipped']);
    expect(d.events[1]).toEqual({
      level: 'warn',
      event: 'action_skipped',
      reason: 'paused',
      until: '2026-11-26T01:00:00.000Z',
      actions: ['graceful-restart'],
    });
    expect(d.state.restarts).toEqual(freshState().restarts);
  });

  it('held by backoff while paused: says only that the restart was skipped; backoff events and waiting are not kept (pause: backoff)', () => {
    const s = scenario();
    s.check(0, 'refused');
    s.restarted(0, 'failed', { bootSec: 1, exitCode: 1 });
    const saved = s.state;
    const d = decideRun(settings, saved, { ...seen(10, 'refused'), pause: pause(3600) });
    expect(names(d.events)).toEqual(['action_skipped']);
    expect(d.events[0]).toMatchObject({ actions: ['restart'] });
    expect(d.state.waiting).toBe(saved.waiting);
    expect(d.state.restarts).toEqual(saved.restarts);
    // Unpaused, the same check waits for backoff and says so.
    const free = decideRun(settings, saved, seen(10, 'refused'));
    expect(names(free.events)).toEqual(['restart_deferred', 'waiting']);
    expect(free.state.waiting).toBe('backoff');
  });

  it('a crash loop while paused is not said, and not marked as said', () => {
    const state = {
      ...freshState(),
      restarts: { total: 4, consecutive: 4, lastAt: sec(0), nextAllowedAt: sec(0) },
    };
    const d = decideRun(settings, state, { ...seen(10, 'refused'), pause: pause(3600) });
    expect(names(d.events)).toEqual(['gateway_down', 'action_skipped']);
    expect(d.state.crashLoopNotified).toBe(false);
    expect(d.state.restarts).toEqual(state.restarts);
  });

  it('a pause ending exactly now is over: resumed with how long it lasted', () => {
    const d = decideRun(settings, freshState(), { ...seen(100, 'healthy'), pause: pause(100) });
    expect(d).toMatchObject({ paused: false, pauseExpired: true });
    expect(d.events[0]).toEqual({
      level: 'info',
      event: 'resumed',
      reason: 'expired',
      pausedSec: 100,
    });
  });

  it('a paused channel restart is not counted as a step: the account is restarted once the pause ends', () => {
    const down = {
      channel: 'telegram',
      account: 'a',
      enabled: true,
      managed: true,
      running: true,
      connected: false,
      lifecycle: 'ready',
      healthState: 'disconnected',
      restartPending: false,
      reconnectAttempts: 0,
      lastError: null,
      lastStartAt: T0 - 3_600_000,
      lastTransportActivityAt: null,
      fix: null,
    };
    const channels = { channels: { ok: true as const, accounts: [down] } };
    const s = scenario();
    s.check(0, 'healthy', channels);
    const p = decideRun(settings, s.state, {
      ...seen(600, 'healthy', channels),
      pause: pause(3600),
    });
    expect(p.actions).toEqual([]);
    expect(p.state.channels.accounts[0]).toMatchObject({ step: 0, stepAt: null, said: 'down' });
    const after = decideRun(settings, p.state, seen(3700, 'healthy', channels));
    expect(after.actions.map((a) => a.type)).toContain('channel-restart');
  });
});

describe('applyPause: only what the check wanted done is skipped', () => {
  const pause = (untilSec: number) => ({ since: T0, until: sec(untilSec), reason: 'upgrade' });
  it('a paused check that only waits (booting) says nothing skipped and keeps its waiting', () => {
    const d = decideRun(settings, freshState(), {
      ...seen(10, 'refused', { gateways: [{ ...gw(7, 5), ours: true }] }),
      pause: pause(3600),
    });
    expect(names(d.events)).toEqual(['waiting']);
    expect(d.events[0]).toMatchObject({ reason: 'booting' });
    expect(d.state.waiting).toBe('booting');
  });

  it('the routine orphan report of a healthy check (orphans.action report) is not a skipped action', () => {
    const report = defaultSettings();
    report.orphans.action = 'report';
    const d = decideRun(report, freshState(), { ...seen(10, 'healthy'), pause: pause(3600) });
    expect(d.events).toEqual([]);
  });

  it('a crash-loop restart skipped while paused names the restart once', () => {
    const state = {
      ...freshState(),
      restarts: { total: 4, consecutive: 4, lastAt: sec(0), nextAllowedAt: sec(0) },
    };
    const d = decideRun(settings, state, { ...seen(10, 'refused'), pause: pause(3600) });
    expect(d.events.find((e) => e.event === 'action_skipped')).toMatchObject({
      actions: ['reap-orphans', 'restart'],
    });
  });
});
