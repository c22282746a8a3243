import { describe, expect, it } from 'vitest';
import type { ChannelAccount, ChannelsSeen } from '../../../../src/lib/channels/types.js';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { decideRun } from '../../../../src/lib/decide/run.js';
import { BREAKER_ERROR } from '../../../../src/lib/decide/openclaw/breaker-error.js';
import { undoChannelSteps } from '../../../../src/lib/decide/signals/channels.js';
import type { DecideSettings } from '../../../../src/lib/decide/types.js';
import {
  freshState,
  type ChannelTrack,
  type ChannelsState,
} from '../../../../src/lib/store/state.js';
import { names, obs, scenario, sec, T0 } from '../scenario.js';
import { channelsStatus, formatChannels } from '../../../../src/lib/channels/status.js';

const GW = { pid: 4242, startTicks: 777 };

/** A Telegram account as channels.status shows it healthy; `over` changes what a test needs. */
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
  lastStartAt: T0 - 3_600_000,
  lastTransportActivityAt: null,
  fix: null,
  ...over,
});
const seen = (
  ...accounts: ChannelAccount[]
): { channels: ChannelsSeen; liveGateway: typeof GW } => ({
  channels: { ok: true, accounts },
  liveGateway: GW,
});
const DOWN = acct({ connected: false, healthState: 'disconnected', lastError: 'fetch failed' });

const settingsWith = (channels: Partial<DecideSettings['channels']>): DecideSettings => {
  const s = defaultSettings();
  return { ...s, channels: { ...s.channels, ...channels } };
};

describe('decide: a channel account that is down', () => {
  it('alerts channel_down after downAfterSec, restarts that account alone, then the gateway a window later; recovered says how long', () => {
    const s = scenario();
    const first = s.check(0, 'healthy', seen(DOWN));
    expect(first).toMatchObject({ status: 'healthy', actions: [{ type: 'reap-orphans' }] });
    expect(names(first.events)).toEqual([]);
    // Within the cadence's slack of the limit (3 s on a 30 s cadence: decide/cadence.ts) it acts.
    expect(s.check(596, 'healthy', seen(DOWN)).events).toEqual([]);

    const due = s.check(600, 'healthy', seen(DOWN));
    expect(due.status).toBe('degraded');
    expect(due.actions).toEqual([
      { type: 'channel-restart', channel: 'telegram', account: 'default', gateway: GW },
    ]);
    expect(due.events).toEqual([
      {
        level: 'error',
        event: 'channel_down',
        channel: 'telegram',
        account: 'default',
        state: 'disconnected',
        lastError: 'fetch failed',
        downSec: 600,
      },
    ]);
    // Still down, inside the second window: said already, nothing more.
    const waiting = s.check(900, 'healthy', seen(DOWN));
    expect(waiting).toMatchObject({ status: 'healthy', events: [] });
    expect(waiting.actions.map((a) => a.type)).not.toContain('channel-restart');

    const gateway = s.check(1200, 'healthy', seen(DOWN));
    expect(gateway.status).toBe('degraded');
    expect(gateway.actions).toEqual([
      {
        type: 'graceful-restart',
        reason: 'channel',
        target: GW,
        drainSec: 10,
        probeTimeoutMs: 2000,
      },
    ]);
    expect(s.state.restarts.consecutive).toBe(1);
    // After the gateway restart nothing more is tried for it (no loop): it only stays followed.
    expect(s.check(2000, 'healthy', seen(DOWN)).actions.map((a) => a.type)).toEqual([
      'reap-orphans',
    ]);

    const back = s.check(2100, 'healthy', seen(acct()));
    expect(back.events).toEqual([
      {
        level: 'info',
        event: 'channel_recovered',
        channel: 'telegram',
        account: 'default',
        downtimeSec: 2100,
      },
    ]);
    expect(s.state.channels.accounts).toEqual([
      {
        channel: 'telegram',
        account: 'default',
        up: true,
        since: null,
        said: null,
        step: 0,
        stepAt: null,
        ownStop: false,
      },
    ]);
  });

  it('the gateway restart waits for backoff like any other (held: degraded, exit 0), and happens once allowed', () => {
    const s = scenario();
    s.check(0, 'healthy', seen(DOWN));
    s.check(600, 'healthy', seen(DOWN));
    // A gateway restart of another cause at 1190 s: healthy only since, its backoff runs to 1250 s.
    s.state = {
      ...s.state,
      healthySince: sec(1190),
      restarts: { total: 1, consecutive: 1, lastAt: sec(1190), nextAllowedAt: sec(1250) },
    };
    const held = s.check(1200, 'healthy', seen(DOWN));
    expect(held).toMatchObject({ status: 'degraded', exitCode: 0 });
    expect(held.actions.map((a) => a.type)).toEqual(['reap-orphans']);
    expect(names(held.events)).toEqual(['restart_deferred']);
    // Still held at the next check: nothing said again.
    expect(names(s.check(1230, 'healthy', seen(DOWN)).events)).toEqual([]);
    const later = s.check(1250, 'healthy', seen(DOWN));
    expect(later.actions.map((a) => a.type)).toEqual(['graceful-restart']);
  });

  it('no live gateway known (no lock, not spawned by us): no gateway restart, said in the detail', () => {
    const s = scenario();
    const noTarget = (a: ChannelAccount) => ({
      channels: { ok: true as const, accounts: [a] },
      liveGateway: null,
    });
    s.check(0, 'healthy', noTarget(DOWN));
    s.check(600, 'healthy', noTarget(DOWN));
    const d = s.check(1200, 'healthy', noTarget(DOWN));
    expect(d.actions).toEqual([]);
    expect(d.detail).toContain('live gateway is not known');
  });

  it('recovered before downAfterSec: no alert, no restart, no recovered event', () => {
    const s = scenario();
    s.check(0, 'healthy', seen(DOWN));
    const back = s.check(300, 'healthy', seen(acct()));
    expect(back.events).toEqual([]);
    expect(s.state.channels.accounts[0]).toMatchObject({ up: true, since: null });
  });

  it('connected but no transport activity for staleAfterSec (a 502 upstream): down as stale; a fresh start gets the whole window', () => {
    const s = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const quiet = acct({ lastTransportActivityAt: sec(-601) });
    const d = s.check(0, 'healthy', seen(quiet));
    expect(d.events).toMatchObject([{ event: 'channel_down', state: 'stale', lastError: null }]);
    expect(d.actions).toEqual([
      { type: 'channel-restart', channel: 'telegram', account: 'default', gateway: GW },
    ]);
    // Restarted just now (lastStartAt): not stale yet, but no traffic since: not recovered either.
    const fresh = acct({ lastTransportActivityAt: sec(-601), lastStartAt: sec(5) });
    expect(s.check(10, 'healthy', seen(fresh)).events).toEqual([]);
    expect(s.state.channels.accounts[0]).toMatchObject({ up: false, since: sec(0), step: 1 });
    // Traffic moves again: recovered.
    const moving = acct({ lastTransportActivityAt: sec(30), lastStartAt: sec(5) });
    expect(s.check(40, 'healthy', seen(moving)).events).toMatchObject([
      { event: 'channel_recovered', downtimeSec: 40 },
    ]);
    // A fresh start of an account that was fine is up while the window lasts (as OpenClaw says).
    const s4 = scenario();
    expect(s4.check(10, 'healthy', seen(fresh)).events).toEqual([]);
    expect(s4.state.channels.accounts[0]).toMatchObject({ up: true, since: null });
    // Activity within the window is up.
    const s2 = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    expect(
      s2.check(0, 'healthy', seen(acct({ lastTransportActivityAt: sec(-599) }))).events,
    ).toEqual([]);
    // staleAfterSec 0: never stale.
    const s3 = scenario({ settings: settingsWith({ downAfterSec: 0, staleAfterSec: 0 }) });
    expect(s3.check(0, 'healthy', seen(quiet)).events).toEqual([]);
  });

  it("OpenClaw's connect grace (120 s from lastStartAt) holds a starting account even with downAfterSec 0", () => {
    const s = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const starting = acct({ lifecycle: 'starting', connected: false, lastStartAt: sec(0) });
    expect(s.check(0, 'healthy', seen(starting)).events).toEqual([]);
    expect(s.check(116, 'healthy', seen(starting)).events).toEqual([]);
    expect(s.check(120, 'healthy', seen(starting)).events).toMatchObject([
      { event: 'channel_down', state: 'starting' },
    ]);
    // Without lastStartAt the grace runs from the first check that saw it.
    const t = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const unknown = acct({ lifecycle: 'starting', lastStartAt: null });
    expect(t.check(0, 'healthy', seen(unknown)).events).toEqual([]);
    expect(names(t.check(120, 'healthy', seen(unknown)).events)).toEqual(['channel_down']);
  });

  it('skips disabled accounts, accounts the user stopped, and accounts OpenClaw is still retrying', () => {
    const s = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const skipped = [
      acct({ account: 'off', enabled: false, running: false, healthState: 'not-running' }),
      acct({
        account: 'unlinked',
        managed: false,
        running: false,
        connected: false,
        lifecycle: 'starting',
        lastStartAt: null,
      }),
      acct({
        account: 'stopped',
        lifecycle: 'stopped',
        running: false,
        healthState: 'not-running',
      }),
      acct({
        account: 'ladder',
        lifecycle: 'recovering',
        restartPending: true,
        reconnectAttempts: 3,
      }),
      acct({ account: 'pending', restartPending: true, healthState: 'disconnected' }),
    ];
    for (const at of [0, 200, 2000]) {
      const d = s.check(at, 'healthy', seen(...skipped));
      expect(d.events).toEqual([]);
      expect(d.actions.map((a) => a.type)).not.toContain('channel-restart');
    }
    // Disabled and user-stopped are not followed at all; the retrying ones are, as not up.
    expect(s.state.channels.accounts.map((a) => [a.account, a.up, a.since])).toEqual([
      ['ladder', false, null],
      ['pending', false, null],
    ]);
  });

  it('an account OpenClaw gave up on (stopped after 10 restart attempts) is down and recovered', () => {
    const s = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const gaveUp = acct({
      lifecycle: 'stopped',
      running: false,
      reconnectAttempts: 10,
      healthState: 'not-running',
    });
    const d = s.check(0, 'healthy', seen(gaveUp));
    expect(d.events).toMatchObject([{ event: 'channel_down', state: 'not-running' }]);
    expect(d.actions).toEqual([
      { type: 'channel-restart', channel: 'telegram', account: 'default', gateway: GW },
    ]);
  });

  it("blocked (a bad token): one channel_down with OpenClaw's fix text, never a restart, recovered when fixed", () => {
    const s = scenario();
    const blocked = acct({
      lifecycle: 'blocked',
      running: false,
      connected: false,
      healthState: 'terminal-disconnect',
      lastError: '401: Unauthorized',
      fix: 'Update channels.telegram.accounts.default.botToken',
    });
    const first = s.check(0, 'healthy', seen(blocked));
    expect(first.events).toEqual([
      {
        level: 'error',
        event: 'channel_down',
        channel: 'telegram',
        account: 'default',
        state: 'blocked',
        lastError: '401: Unauthorized',
        fix: 'Update channels.telegram.accounts.default.botToken',
        then: `openclaw gateway call channels.start --params '{"channel":"telegram","accountId":"default"}'`,
        downSec: 0,
      },
    ]);
    for (const at of [600, 1200, 5000]) {
      const d = s.check(at, 'healthy', seen(blocked));
      expect(d.events).toEqual([]);
      expect(d.actions.map((a) => a.type)).toEqual(['reap-orphans']);
    }
    expect(s.check(6000, 'healthy', seen(acct())).events).toMatchObject([
      { event: 'channel_recovered', downtimeSec: 6000 },
    ]);
  });

  it('channels.action "alert": channel_down and channel_recovered only, nothing restarted', () => {
    const s = scenario({ settings: settingsWith({ action: 'alert' }) });
    s.check(0, 'healthy', seen(DOWN));
    const d = s.check(600, 'healthy', seen(DOWN));
    expect(names(d.events)).toEqual(['channel_down']);
    expect(d.status).toBe('healthy');
    for (const at of [1200, 5000])
      expect(s.check(at, 'healthy', seen(DOWN)).actions.map((a) => a.type)).toEqual([
        'reap-orphans',
      ]);
    expect(names(s.check(5100, 'healthy', seen(acct())).events)).toEqual(['channel_recovered']);
  });

  it('no token: channels_unchecked once (with the hint), not on every check; a working look clears it', () => {
    const s = scenario();
    const none = { channels: { ok: false as const, code: 'NO_TOKEN' } };
    const first = s.check(0, 'healthy', none);
    expect(first.events).toEqual([
      expect.objectContaining({
        event: 'channels_unchecked',
        code: 'NO_TOKEN',
        hint: expect.stringContaining('token'),
      }),
    ]);
    expect(first.status).toBe('healthy');
    expect(s.check(300, 'healthy', none).events).toEqual([]);
    expect(s.state.channels).toMatchObject({ checkedAt: sec(300), unchecked: 'NO_TOKEN' });
    s.check(600, 'healthy', seen(acct()));
    expect(s.state.channels.unchecked).toBeNull();
    expect(names(s.check(900, 'healthy', none).events)).toEqual(['channels_unchecked']);
  });

  it('follows at most 8 accounts, the ones seen down first; past the cap: no event, no restart', () => {
    const s = scenario();
    const many = Array.from({ length: 12 }, (_, i) =>
      i % 2 ? acct({ account: `up${i}` }) : { ...DOWN, account: `down${i}` },
    );
    s.check(0, 'healthy', seen(...many));
    const kept = s.state.channels.accounts;
    expect(kept).toHaveLength(8);
    expect(kept.slice(0, 6).every((a) => !a.up)).toBe(true);

    const t = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const down = Array.from({ length: 10 }, (_, i) => ({ ...DOWN, account: `d${i}` }));
    const d = t.check(0, 'healthy', seen(...down));
    expect(names(d.events)).toEqual([...Array(8).fill('channel_down'), 'channels_over_cap']);
    expect(d.actions).toHaveLength(8);
    // The ones followed stay followed (seen down first), the others wait for a place.
    t.check(10, 'healthy', seen(...[...down].reverse()));
    expect(t.state.channels.accounts.map((a) => a.account).sort()).toEqual([
      'd0',
      'd1',
      'd2',
      'd3',
      'd4',
      'd5',
      'd6',
      'd7',
    ]);
  });

  it('a paused check restarts no channel account, and the next window does not skip to the gateway', () => {
    const settings = defaultSettings();
    let state = freshState();
    const run = (at: number, pause: boolean) => {
      const o = {
        ...obs(at, 'healthy', seen(DOWN)),
        ...(pause ? { pause: { since: sec(-1), until: sec(700), reason: null } } : {}),
      };
      const d = decideRun(settings, state, o);
      state = d.state;
      return d;
    };
    run(0, true);
    const paused = run(600, true);
    expect(paused.actions).toEqual([]);
    expect(names(paused.events)).toEqual(['channel_down', 'action_skipped']);
    expect(state.channels.accounts[0]).toMatchObject({ step: 0, said: 'down' });
    // After the pause: the account alone first, not the gateway.
    expect(run(1200, false).actions).toEqual([
      { type: 'channel-restart', channel: 'telegram', account: 'default', gateway: GW },
    ]);
  });

  it('a wall-clock jump is taken out of the channel timers (boot-time clock), as out of every other', () => {
    const s = scenario();
    s.check(0, 'healthy', { ...seen(DOWN), monoSec: 0 });
    // The wall clock jumped an hour ahead; only 100 s passed: not yet down for downAfterSec.
    const later = s.check(3700, 'healthy', { ...seen(DOWN), monoSec: 100 });
    expect(later.events).toEqual([]);
    expect(s.state.channels.accounts[0]!.since).toBe(sec(3600));
    expect(names(s.check(4200, 'healthy', { ...seen(DOWN), monoSec: 600 }).events)).toEqual([
      'channel_down',
    ]);
  });
});

describe('decide: our own channel restart that half-failed', () => {
  const STOPPED = acct({
    running: false,
    connected: false,
    lifecycle: 'stopped',
    lastError: null,
    reconnectAttempts: 0,
  });
  it('stopped after our own stop (start failed or skipped) is still ours: followed, shown down, the gateway restarted a window later', () => {
    const s = scenario();
    s.check(0, 'healthy', seen(DOWN));
    const due = s.check(600, 'healthy', seen(DOWN));
    expect(due.actions.map((a) => a.type)).toEqual(['channel-restart']);
    expect(s.state.channels.accounts[0]).toMatchObject({ ownStop: true, step: 1 });
    // channels.stop worked, channels.start did not: `stopped`, like a stop by the user.
    const after = s.check(630, 'healthy', seen(STOPPED));
    expect(after.events).toEqual([]);
    expect(s.state.channels.accounts).toEqual([
      expect.objectContaining({ up: false, since: sec(0), said: 'down', step: 1, ownStop: true }),
    ]);
    const escalate = s.check(1200, 'healthy', seen(STOPPED));
    expect(escalate.actions.map((a) => a.type)).toEqual(['graceful-restart']);
    expect(escalate.detail).toContain('telegram/default still down after its restart');
  });

  it('once seen not stopped, a later stop is the user’s: left alone', () => {
    const s = scenario();
    s.check(0, 'healthy', seen(DOWN));
    s.check(600, 'healthy', seen(DOWN));
    s.check(630, 'healthy', seen(acct({ lifecycle: 'starting', connected: false })));
    expect(s.state.channels.accounts[0]).toMatchObject({ ownStop: false });
    const user = s.check(1300, 'healthy', seen(STOPPED));
    expect(user.actions.map((a) => a.type)).not.toContain('graceful-restart');
    expect(s.state.channels.accounts).toEqual([]);
  });
});

describe('decide: over the cap of 8 accounts', () => {
  const BLOCKED = acct({
    connected: false,
    running: false,
    lifecycle: 'blocked',
    healthState: 'terminal-disconnect',
    lastError: '401 Unauthorized',
  });
  const blocked = Array.from({ length: 8 }, (_, i) => ({ ...BLOCKED, account: `bot${i}` }));
  const UPS = Array.from({ length: 8 }, (_, i) => acct({ account: `ok${i}` }));

  it('long-blocked accounts (alerted) do not keep the places: a newly down account is followed, restarted; the dropped are named once', () => {
    const s = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const first = s.check(0, 'healthy', seen(...blocked, acct({ account: 'support' })));
    expect(names(first.events)).toEqual([...Array(8).fill('channel_down'), 'channels_over_cap']);
    expect(first.events.at(-1)).toMatchObject({
      count: 1,
      followed: 8,
      dropped: ['telegram/support'],
    });
    const down = { ...DOWN, account: 'support' };
    const d = s.check(30, 'healthy', seen(...blocked, down));
    expect(d.events).toMatchObject([{ event: 'channel_down', account: 'support' }]);
    expect(d.actions).toEqual([
      { type: 'channel-restart', channel: 'telegram', account: 'support', gateway: GW },
    ]);
    expect(s.state.channels.accounts.map((a) => a.account)).toContain('support');
    expect(s.state.channels.overCap).toBe(1);
    // The blocked one that lost its place does not push another out (to be alerted again).
    for (const at of [60, 90, 120])
      expect(names(s.check(at, 'healthy', seen(...blocked, down)).events)).toEqual([]);
  });

  it('alerted blocked accounts keep their places before healthy ones: never alerted twice', () => {
    const s = scenario();
    const all = [...UPS, blocked[0]!];
    const said: string[] = [];
    for (const at of [0, 30, 60, 90])
      said.push(...names(s.check(at, 'healthy', seen(...all)).events));
    expect(said).toEqual(['channel_down', 'channels_over_cap']);
    // Back under the cap: the stretch ends; over it again later: said again.
    s.check(120, 'healthy', seen(...UPS.slice(1), blocked[0]!));
    expect(s.state.channels.overCap).toBe(0);
    expect(names(s.check(150, 'healthy', seen(...all)).events)).toEqual(['channels_over_cap']);
  });

  it('blocked: the command that starts the account again names the profile and quotes the ids', () => {
    const s = scenario();
    const blocked = acct({ lifecycle: 'blocked', account: "it's", lastError: '401' });
    const d = s.check(0, 'healthy', { ...seen(blocked), profile: 'p2' });
    expect(d.events).toMatchObject([
      {
        event: 'channel_down',
        then: `openclaw --profile p2 gateway call channels.start --params '{"channel":"telegram","accountId":"it'\\''s"}'`,
      },
    ]);
  });

  it('an account still starting within the connect grace is starting, not down: status says so', () => {
    const s = scenario();
    const starting = acct({ lifecycle: 'starting', connected: false, lastStartAt: T0 });
    const d = s.check(0, 'healthy', seen(starting));
    expect(d.events).toEqual([]);
    const track = d.state.channels.accounts[0]!;
    expect(track).toMatchObject({ up: false, starting: true });
    const line = formatChannels(channelsStatus(d.state.channels), T0);
    expect(line).toMatch(/^channels {2}telegram\/default starting \(checked /);
    expect(line).not.toContain('DOWN');
    // Past the grace and still not ready: down, and no longer starting.
    const late = s.check(121, 'healthy', seen(starting));
    expect(late.state.channels.accounts[0]).not.toHaveProperty('starting');
    expect(formatChannels(channelsStatus(late.state.channels), T0 + 121_000)).toContain(
      'telegram/default DOWN',
    );
  });
});

describe('decide: what a channel check says and keeps', () => {
  it('an account restart names the accounts restarted in the detail', () => {
    const s = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const d = s.check(0, 'healthy', seen(DOWN, { ...DOWN, channel: 'discord', account: 'ops' }));
    expect(d.actions.map((a) => a.type)).toEqual(['channel-restart', 'channel-restart']);
    expect(d.detail).toBe('restarting channel account telegram/default, discord/ops');
  });

  it('no live gateway known: the check that cannot restart the gateway is degraded', () => {
    const s = scenario();
    const noTarget = { channels: { ok: true as const, accounts: [DOWN] }, liveGateway: null };
    s.check(0, 'healthy', noTarget);
    s.check(600, 'healthy', noTarget);
    const d = s.check(1200, 'healthy', noTarget);
    expect(d).toMatchObject({ status: 'degraded', exitCode: 1, actions: [] });
  });

  it('channels_over_cap names at most 10 of the accounts left unfollowed, and counts them all', () => {
    const s = scenario();
    const down = Array.from({ length: 20 }, (_, i) => ({ ...DOWN, account: `d${i}` }));
    const d = s.check(0, 'healthy', seen(...down));
    const over = d.events.find((e) => e.event === 'channels_over_cap');
    expect(over).toMatchObject({ count: 12, followed: 8 });
    expect(over).toHaveProperty('dropped', [
      'telegram/d8',
      'telegram/d9',
      'telegram/d10',
      'telegram/d11',
      'telegram/d12',
      'telegram/d13',
      'telegram/d14',
      'telegram/d15',
      'telegram/d16',
      'telegram/d17',
    ]);
  });

  it('an account in safe mode (breaker-stopped) counts no downtime of its own and starts its recovery steps afresh', () => {
    const s = scenario();
    s.check(0, 'healthy', seen(DOWN));
    s.check(600, 'healthy', seen(DOWN));
    s.check(630, 'healthy', seen(DOWN)); // restarted, still down (not stopped: no longer our stop)
    expect(s.state.channels.accounts[0]).toMatchObject({ step: 1, stepAt: sec(600) });
    const breaker = acct({
      running: false,
      connected: false,
      lifecycle: 'stopped',
      healthState: 'not-running',
      lastError: `${BREAKER_ERROR}: 3 unclean boot(s) within 300000ms`,
    });
    const d = s.check(660, 'healthy', seen(breaker));
    expect(d.actions.map((a) => a.type)).not.toContain('channel-restart');
    expect(s.state.channels.accounts[0]).toMatchObject({ up: false, step: 0, stepAt: null });
    // A fresh one in safe mode: no downtime of its own (safe mode is one incident for all).
    const fresh = scenario();
    fresh.check(0, 'healthy', seen(breaker));
    expect(fresh.state.channels.accounts[0]).toMatchObject({ up: false, since: null, step: 0 });
  });

  it('a down account not ready since its start, with no start time: the connect grace counts from the first check that saw it', () => {
    const s = scenario({ settings: settingsWith({ downAfterSec: 0 }) });
    const starting = acct({ lifecycle: 'starting', connected: false, lastStartAt: null });
    expect(s.check(0, 'healthy', seen(starting)).state.channels.accounts[0]).toMatchObject({
      starting: true,
    });
    expect(names(s.check(100, 'healthy', seen(starting)).events)).toEqual([]);
    expect(names(s.check(120, 'healthy', seen(starting)).events)).toEqual(['channel_down']);
  });
});

describe('undoChannelSteps: a paused check carried out no channel restart', () => {
  const track = (over: Partial<ChannelTrack>): ChannelTrack => ({
    channel: 'telegram',
    account: 'default',
    up: false,
    since: sec(0),
    said: 'down',
    step: 0,
    stepAt: null,
    ...over,
  });
  const state = (...accounts: ChannelTrack[]): ChannelsState => ({
    checkedAt: sec(0),
    unchecked: null,
    accounts,
  });

  it('each account gets back the step and step time it was saved with', () => {
    const saved = state(track({ step: 1, stepAt: sec(600) }), track({ account: 'b' }));
    const next = state(
      track({ step: 2, stepAt: sec(1200), said: 'down' }),
      track({ account: 'b', step: 1, stepAt: sec(1200) }),
    );
    expect(undoChannelSteps(next, saved).accounts).toEqual([
      track({ step: 1, stepAt: sec(600) }),
      track({ account: 'b', step: 0, stepAt: null }),
    ]);
  });

  it('an account new at the paused check starts at step 0', () => {
    const next = state(track({ account: 'new', step: 1, stepAt: sec(30) }));
    expect(undoChannelSteps(next, state()).accounts).toEqual([
      track({ account: 'new', step: 0, stepAt: null }),
    ]);
  });
});
