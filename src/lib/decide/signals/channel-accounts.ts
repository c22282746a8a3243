import type { ChannelAccount } from '../../channels/types.js';
import type { ChannelTrack, ChannelsState } from '../../store/state.js';
import { cutId as cut } from '../../store/state-validate.js';
import { isBreakerStopped } from '../openclaw/breaker-error.js';

/** OpenClaw's own connect grace (DEFAULT_CHANNEL_CONNECT_GRACE_MS, 2026.9.6): not configurable. */
export const CONNECT_GRACE_MS = 120_000;
/** OpenClaw gives an account up after this many restarts of its own (then `stopped`). */
const GIVE_UP_ATTEMPTS = 10;

/**
 * One account as the rules see it. `skip`: disabled (or not configured / linked), or stopped by the user (OpenClaw leaves it
 * alone too); `retrying`: OpenClaw is on its own restart ladder; `blocked`: it will not retry (a
 * bad token), alerted once, never restarted; `down` (with the state to show); `up`.
 */
export type AccountVerdict =
  /** `quiet`: connected, no transport activity since its last start, still within the window:
   * up for an account that was fine, not yet recovered for one seen down (a restart alone proves
   * nothing until traffic moves). */
  /** `suppressed`: stopped by OpenClaw's crash-loop breaker (safe mode), not by the user; the
   * breaker restores every account at once (decide/openclaw/safe-mode.ts): never restarted alone. */
  | { kind: 'skip' | 'retrying' | 'up' | 'quiet' | 'suppressed' }
  | { kind: 'blocked'; state: 'blocked' }
  /** `graced`: not ready yet, which counts only past OpenClaw's connect grace, from `graceFrom`
   * (its last start; unknown: from the first check that saw it). */
  | { kind: 'down'; state: string; graced?: { from: number | null } };

/** Pure: `now` and the gateway's timestamps are epoch ms on the same host. */
export function classifyAccount(
  a: ChannelAccount,
  now: number,
  staleAfterSec: number,
): AccountVerdict {
  // Disabled, unconfigured or unlinked: OpenClaw does not run it (and counts it healthy).
  if (a.enabled === false || !a.managed) return { kind: 'skip' };
  if (a.lifecycle === 'blocked' || a.healthState === 'terminal-disconnect')
    return { kind: 'blocked', state: 'blocked' };
  if (a.restartPending || a.lifecycle === 'recovering') return { kind: 'retrying' };
  if (a.running !== true && isBreakerStopped(a.lastError)) return { kind: 'suppressed' };
  // `stopped` is a manual stop (channels.stop, the UI) unless OpenClaw gave up on its ladder.
  if (a.lifecycle === 'stopped' && a.reconnectAttempts < GIVE_UP_ATTEMPTS) return { kind: 'skip' };
  if (a.healthState !== null && a.healthState !== 'healthy')
    return { kind: 'down', state: a.healthState };
  if (a.lifecycle !== null && a.lifecycle !== 'ready')
    return { kind: 'down', state: a.lifecycle, graced: { from: a.lastStartAt } };
  if (a.connected === true && a.lastTransportActivityAt !== null && staleAfterSec > 0) {
    // A freshly (re)started account gets the whole window to show activity.
    const last = Math.max(a.lastTransportActivityAt, a.lastStartAt ?? 0);
    if (now - last > staleAfterSec * 1000) return { kind: 'down', state: 'stale' };
    // Started after its last activity: nothing moved since the start yet.
    if (last > a.lastTransportActivityAt) return { kind: 'quiet' };
  }
  return { kind: 'up' };
}

/** The key an account is followed under (ids cut to what state.json keeps). */
export const trackKey = (t: { channel: string; account: string }): string =>
  `${cut(t.channel)}\n${cut(t.account)}`;

export const freshTrack = (a: ChannelAccount): ChannelTrack => ({
  channel: cut(a.channel),
  account: cut(a.account),
  up: true,
  since: null,
  said: null,
  step: 0,
  stepAt: null,
  ownStop: false,
});

/** The channel state's saved times through `f` (a wall-clock jump taken out, or clamped). */
export function mapChannelTimes(c: ChannelsState, f: (t: number) => number): ChannelsState {
  const m = (t: number | null) => (t === null ? null : f(t));
  const accounts = c.accounts.map((a) => ({ ...a, since: m(a.since), stepAt: m(a.stepAt) }));
  return { ...c, checkedAt: m(c.checkedAt), accounts };
}
