import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseChannelsStatus } from '../../../src/lib/channels/parse.js';
import { channelsStatus, formatChannels } from '../../../src/lib/channels/status.js';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import {
  channelCheckDue,
  failingChannels,
} from '../../../src/lib/decide/signals/channel-cadence.js';
import { workKey } from '../../../src/lib/decide/openclaw/maintenance.js';
import { renderMetrics } from '../../../src/lib/metrics.js';
import { MAX_DISK_TRACKS } from '../../../src/lib/store/state-validate.js';
import { describeEvent } from '../../../src/lib/notify/describe.js';
import {
  MAX_CHANNEL_ACCOUNTS,
  MAX_CHANNEL_ID,
  MAX_ORPHANS_NOTED,
  cutId,
  validateState,
} from '../../../src/lib/store/state-validate.js';
import {
  freshState,
  STATE_FILE_BYTES,
  stateFileText,
  stateText,
  type ChannelTrack,
  type State,
} from '../../../src/lib/store/state.js';

const ID = { gateway: 'default', port: 18789, version: null, serviceManager: 'openclaw' };

const require = createRequire(import.meta.url);
const parseProm = require('parse-prometheus-text-format') as (
  text: string,
) => { name: string; metrics: { value: string; labels?: Record<string, string> }[] }[];

const T = Date.parse('2026-11-26T00:00:00Z');
const track = (over: Partial<ChannelTrack> = {}): ChannelTrack => ({
  channel: 'telegram',
  account: 'default',
  up: true,
  since: null,
  said: null,
  step: 0,
  stepAt: null,
  ...over,
});
const withChannels = (c: Partial<State['channels']>): State => ({
  ...freshState(),
  channels: { ...freshState().channels, ...c },
});

describe('channels.status payload', () => {
  it('reads channelAccounts.<channel>[] tolerantly and joins the fix text of statusIssues', () => {
    const accounts = parseChannelsStatus({
      channelAccounts: {
        telegram: [
          {
            accountId: 'default',
            enabled: true,
            running: false,
            connected: false,
            lifecycle: 'blocked',
            healthState: 'terminal-disconnect',
            lastError: { message: '401: Unauthorized' },
            lastStartAt: 5,
            reconnectAttempts: 'x',
          },
          'garbage',
          { running: 'yes', linked: false },
        ],
        discord: 'not a list',
      },
      statusIssues: [
        { channel: 'telegram', accountId: 'default', kind: 'auth', message: 'm', fix: 'new token' },
        null,
      ],
    });
    expect(accounts).toEqual([
      {
        channel: 'telegram',
        account: 'default',
        enabled: true,
        managed: true,
        running: false,
        connected: false,
        lifecycle: 'blocked',
        healthState: 'terminal-disconnect',
        restartPending: false,
        reconnectAttempts: 0,
        lastError: '401: Unauthorized',
        lastStartAt: 5,
        lastTransportActivityAt: null,
        fix: 'new token',
      },
      expect.objectContaining({ account: 'default', running: null, managed: false }),
    ]);
    expect(parseChannelsStatus(null)).toEqual([]);
    expect(parseChannelsStatus({ channelAccounts: [] })).toEqual([]);
  });
});

describe('when a healthy check asks for the channels', () => {
  const settings = defaultSettings();
  it('only channels in /readyz failing count, not startup reasons, draining or agent databases', () => {
    expect(failingChannels(['telegram', 'startup-sidecars', 'gateway-draining'])).toEqual([
      'telegram',
    ]);
    expect(failingChannels(['agent-database:main', 'plugin-reload', 'state-database'])).toEqual([]);
    expect(failingChannels(undefined)).toEqual([]);
  });

  it('due: never asked; readyz names a channel; checkEverySec passed; an account seen down; the clock went back', () => {
    const asked = withChannels({ checkedAt: T });
    expect(channelCheckDue(settings, freshState(), [], T)).toBe(true);
    expect(channelCheckDue(settings, asked, [], T + 299_000)).toBe(false);
    expect(channelCheckDue(settings, asked, ['startup-sidecars'], T + 1000)).toBe(false);
    expect(channelCheckDue(settings, asked, ['telegram'], T + 1000)).toBe(true);
    expect(channelCheckDue(settings, asked, [], T + 300_000)).toBe(true);
    expect(channelCheckDue(settings, asked, [], T - 1000)).toBe(true);
    const down = withChannels({ checkedAt: T, accounts: [track({ up: false, since: T })] });
    expect(channelCheckDue(settings, down, [], T + 1000)).toBe(true);
    // Blocked (never restarted), or retrying without a timer: no RPC every check for it.
    const blocked = withChannels({
      checkedAt: T,
      accounts: [track({ up: false, since: T, said: 'blocked' }), track({ up: false })],
    });
    expect(channelCheckDue(settings, blocked, [], T + 1000)).toBe(false);
    // No token: the periodic look only, even with an account seen down before.
    const noToken = withChannels({ ...down.channels, unchecked: 'NO_TOKEN' });
    expect(channelCheckDue(settings, noToken, [], T + 1000)).toBe(false);
  });
});

describe('channel state in state.json', () => {
  it('keeps valid channel state, resets a malformed one', () => {
    const good = withChannels({
      checkedAt: T,
      accounts: [track({ up: false, since: T, step: 1, stepAt: T })],
    });
    const raw = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
    expect(validateState(raw, freshState())).toEqual({ state: good, reset: [] });
    for (const bad of [
      { checkedAt: 'x', unchecked: null, accounts: [] },
      { checkedAt: null, unchecked: null, accounts: [{ ...track(), step: 3 }] },
      {
        checkedAt: null,
        unchecked: null,
        accounts: [{ ...track(), account: 'x'.repeat(MAX_CHANNEL_ID + 1) }],
      },
      { checkedAt: null, unchecked: null, accounts: Array(MAX_CHANNEL_ACCOUNTS + 1).fill(track()) },
    ]) {
      const r = validateState({ ...raw, channels: bad }, freshState());
      expect(r.reset).toEqual(['channels']);
      expect(r.state.channels).toEqual(freshState().channels);
    }
  });

  it('ids are cut by their JSON bytes: non-ASCII, quotes, backslashes, control characters, emoji', () => {
    expect(cutId('x'.repeat(60))).toBe('x'.repeat(MAX_CHANNEL_ID));
    expect(cutId('ж'.repeat(40))).toBe('ж'.repeat(24));
    expect(cutId('"'.repeat(40))).toBe('"'.repeat(24));
    expect(cutId('\u0001'.repeat(40))).toBe('\u0001'.repeat(8));
    // Whole code points only: an emoji (4 bytes, 2 UTF-16 units) is never split.
    expect(cutId(`a${'😀'.repeat(20)}`)).toBe(`a${'😀'.repeat(11)}`);
    const raw = JSON.parse(JSON.stringify(withChannels({ checkedAt: T }))) as Record<
      string,
      unknown
    >;
    const over = { checkedAt: T, unchecked: null, accounts: [track({ account: 'ж'.repeat(25) })] };
    expect(validateState({ ...raw, channels: over }, freshState()).reset).toEqual(['channels']);
  });

  const worstIds: [string, string][] = [
    ['ASCII', 'x'],
    ['non-ASCII', 'ж'],
    ['quotes', '"'],
    ['backslashes', '\\'],
    ['control characters', '\u0001'],
    ['emoji', '😀'],
    ['lone surrogates', '\ud800'],
  ];
  it.each(worstIds)(
    'the fullest state, ids of %s, still fits the fixed-size state file',
    (_, c) => {
      const long = (w: string, i: number) => cutId(`${w}${i}`.padEnd(200, c));
      const accounts = Array.from({ length: MAX_CHANNEL_ACCOUNTS }, (_, i) =>
        track({
          channel: long('c', i),
          account: long('a', i),
          up: false,
          since: T,
          said: 'blocked',
          step: 2,
          stepAt: T,
          ownStop: true,
        }),
      );
      const full: State = {
        ...withChannels({ checkedAt: T, unchecked: 'AUTH_TOKEN_MISMATCH', accounts, overCap: 999 }),
        lastCheckAt: T,
        checkMs: 9_999_999,
        clock: { bootId: 'b5a1c0de-0000-4000-8000-000000000001', uptimeMs: 123_456_789_012 },
        lastVerdict: 'unresponsive',
        healthySince: T,
        lastHealthyAt: T,
        unhealthySince: T,
        waiting: 'not_listening',
        unresponsiveSince: T,
        startingSince: T,
        notListening: { pid: 4_194_304, since: T },
        incident: { kind: 'conflict', since: T, died: { at: T, from: 'boot_ledger' } },
        crashLoopNotified: true,
        restarts: { total: 99_999, consecutive: 999, lastAt: T, nextAllowedAt: T },
        slowestBootSec: 599.9,
        spawned: {
          pid: 4_194_304,
          startTicks: 123_456_789_012,
          at: T,
          method: 'command',
          bootSec: 599.9,
        },
        orphansReapedTotal: 99_999,
        orphansScannedAt: T,
        orphansNoted: Array.from({ length: MAX_ORPHANS_NOTED }, (_, i) => 2 ** 32 - 1 - i),
        lastAlertAt: T,
        userStopAt: T,
        gatewaySeenStartAt: T,
        diskLow: Array.from({ length: MAX_DISK_TRACKS }, (_, i) => ({
          dev: Number.MAX_SAFE_INTEGER - i,
          since: T,
          alertedAt: T,
        })),
        memoryHighSince: T,
        memoryOverSince: T,
        childrenHighSince: T,
        lagChecks: 999,
        signalsOf: { pid: 4_194_304, startTicks: Number.MAX_SAFE_INTEGER },
        safeMode: { since: T, recoverAt: T },
        // versions as decide/openclaw/update.ts keeps them: at most 40 characters
        update: {
          rowAt: T,
          at: T,
          from: ''.padEnd(40, c).slice(0, 40),
          to: ''.padEnd(40, c).slice(0, 40),
          failedSaid: true,
        },
        maintenance: { kind: 'maintenance', since: T, stuckSaid: true },
        // the longest work key decide/openclaw/maintenance.ts makes: a kind word and a hash
        stuckWork: workKey('successor', `${c} 4194304`),
        lockListener: {
          pid: 4_194_304,
          startTicks: Number.MAX_SAFE_INTEGER,
          inode: 2 ** 32 - 1,
          port: 65_535,
          at: T,
        },
      };
      // Every field of State (and of a channel track) is set: a field added later must be added here.
      expect(Object.keys(full).sort()).toEqual(Object.keys(freshState()).sort());
      for (const [k, v] of Object.entries(full)) expect(v, k).not.toBeNull();
      expect(Object.keys(full.channels).sort()).toEqual(Object.keys(freshState().channels).sort());
      for (const [k, v] of Object.entries(full.channels)) expect(v, k).not.toBeNull();
      for (const [k, v] of Object.entries(accounts[0]!)) expect(v, k).not.toBeNull();
      expect(validateState(JSON.parse(JSON.stringify(full)), freshState()).reset).toEqual([]);
      const bytes = Buffer.byteLength(stateText(full));
      expect(bytes).toBeLessThanOrEqual(STATE_FILE_BYTES);
      // The file itself is exactly the fixed size in bytes (padded by bytes, not characters), so
      // a full disk can rewrite it in place.
      expect(Buffer.byteLength(stateFileText(full))).toBe(STATE_FILE_BYTES);
    },
  );
});

describe('channels in status, metrics and alerts', () => {
  const state = withChannels({
    checkedAt: T,
    accounts: [
      track({
        account: 'a"b\\c\nd',
        up: false,
        since: T - 90_000,
        said: 'down',
        step: 1,
        stepAt: T,
      }),
      track({ channel: 'whatsapp' }),
    ],
  });

  it('metrics: one openclaw_watchdog_channel_up per account, label values escaped', () => {
    const text = renderMetrics({
      ...ID,
      up: true,
      paused: false,
      state,
      probeSeconds: 0.1,
      now: T,
    });
    expect(text).toContain(
      'openclaw_watchdog_channel_up{gateway="default",channel="telegram",account="a\\"b\\\\c\\nd"} 0\n',
    );
    const family = parseProm(text).find((f) => f.name === 'openclaw_watchdog_channel_up')!;
    expect(family.metrics.map((m) => [m.labels, m.value])).toEqual([
      [{ gateway: 'default', channel: 'telegram', account: 'a"b\\c\nd' }, '0'],
      [{ gateway: 'default', channel: 'whatsapp', account: 'default' }, '1'],
    ]);
    expect(
      renderMetrics({
        ...ID,
        up: true,
        paused: false,
        state: freshState(),
        probeSeconds: 0,
        now: T,
      }),
    ).not.toContain('channel_up');
  });

  it('status: each account, down since when and what was done', () => {
    const s = channelsStatus(state.channels);
    expect(s.accounts[0]).toMatchObject({ up: false, alerted: 'down', recovery: 'account' });
    const line = formatChannels(s, T + 10_000);
    expect(line).toMatch(
      /^channels {2}telegram\/a"b\\c\\u000ad DOWN 1m 40s, account restarted, whatsapp\/default up \(checked 10s ago\)$/,
    );
    expect(formatChannels(channelsStatus(freshState().channels))).toBe('channels  not checked yet');
    expect(formatChannels(channelsStatus({ ...state.channels, unchecked: 'NO_TOKEN' }))).toBe(
      'channels  not checked: NO_TOKEN',
    );
  });

  it('alerts: one line for each channel event, the fix text for a blocked account', () => {
    const base = { channel: 'telegram', account: 'default' };
    expect(
      describeEvent({
        level: 'error',
        event: 'channel_down',
        ...base,
        state: 'blocked',
        lastError: '401',
        fix: 'new token',
        downSec: 0,
      }),
    ).toBe(
      'channel telegram/default down (blocked) for 0 s: 401; not restarting (OpenClaw will not retry it)\nfix: new token',
    );
    expect(
      describeEvent({
        level: 'error',
        event: 'channel_down',
        ...base,
        state: 'stale',
        lastError: null,
        downSec: 600,
      }),
    ).toBe('channel telegram/default down (no transport activity) for 600 s');
    expect(
      describeEvent({
        level: 'info',
        event: 'channel_restart',
        ...base,
        ok: true,
        start: 'handed-off',
      }),
    ).toBe('channel telegram/default restarted alone (handed-off)');
    expect(
      describeEvent({
        level: 'warn',
        event: 'channel_restart',
        ...base,
        ok: false,
        error: 'channels.stop: TIMEOUT',
      }),
    ).toBe('channel telegram/default could not be restarted: channels.stop: TIMEOUT');
    expect(
      describeEvent({ level: 'info', event: 'channel_recovered', ...base, downtimeSec: 42 }),
    ).toBe('channel telegram/default recovered after 42 s');
  });
});
