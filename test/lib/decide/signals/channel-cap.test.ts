import { describe, expect, it } from 'vitest';
import type { ChannelAccount } from '../../../../src/lib/channels/types.js';
import { trackKey } from '../../../../src/lib/decide/signals/channel-accounts.js';
import { followed } from '../../../../src/lib/decide/signals/channel-cap.js';
import type { ChannelTrack } from '../../../../src/lib/store/state.js';
import { MAX_CHANNEL_ACCOUNTS } from '../../../../src/lib/store/state-validate.js';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const acct = (account: string, over: Partial<ChannelAccount> = {}): ChannelAccount => ({
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
  lastStartAt: NOW - 3_600_000,
  lastTransportActivityAt: null,
  fix: null,
  ...over,
});
const blocked = (account: string) => acct(account, { lifecycle: 'blocked', running: false });
const track = (account: string, over: Partial<ChannelTrack> = {}): ChannelTrack => ({
  channel: 'telegram',
  account,
  up: false,
  since: NOW - 600_000,
  said: null,
  step: 0,
  stepAt: null,
  ...over,
});
const tracks = (...t: ChannelTrack[]) => new Map(t.map((x) => [trackKey(x), x]));
const follow = (accounts: ChannelAccount[], old = tracks()) => {
  const { list, dropped } = followed(accounts, old, NOW, 1800);
  return { list: list.map(({ a }) => a.account), dropped };
};
const bots = (n: number) => Array.from({ length: n }, (_, i) => `bot${i}`);

describe('followed: which accounts a check follows', () => {
  it('an account listed twice is followed once', () => {
    expect(follow([acct('a'), acct('a'), acct('b')]).list).toEqual(['a', 'b']);
  });

  it('at the cap, blocked accounts already alerted keep their places before newly blocked ones (alerted once, not again)', () => {
    expect(MAX_CHANNEL_ACCOUNTS).toBe(8);
    const said = bots(8).map((b) => track(b, { said: 'blocked' }));
    const r = follow([blocked('new'), ...bots(8).map(blocked)], tracks(...said));
    expect(r.list).toEqual(bots(8));
    expect(r.dropped).toEqual(['telegram/new']);
  });

  it('at the cap, an account newly on OpenClaw’s retry ladder goes before blocked ones', () => {
    const retrying = acct('ladder', { lifecycle: 'recovering', connected: false });
    const r = follow([...bots(8).map(blocked), retrying]);
    expect(r.list).toEqual(['ladder', ...bots(7)]);
    expect(r.dropped).toEqual(['telegram/bot7']);
  });

  it('an account we stopped ourselves that the user then disabled is not followed (never restarted)', () => {
    const disabled = acct('a', { lifecycle: 'stopped', running: false, enabled: false });
    const ours = tracks(track('a', { ownStop: true, step: 1, stepAt: NOW - 30_000 }));
    expect(follow([disabled], ours).list).toEqual([]);
    // Still enabled: our own stop, followed as down.
    const stopped = { ...disabled, enabled: true };
    expect(followed([stopped], ours, NOW, 1800).list).toEqual([
      { a: stopped, verdict: { kind: 'down', state: 'stopped' } },
    ]);
  });
});
