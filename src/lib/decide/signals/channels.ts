import type { ChannelAccount } from '../../channels/types.js';
import type { ChannelTrack, ChannelsState } from '../../store/state.js';
import { secs } from '../../units.js';
import { channelStartCommand } from '../../channels/start-command.js';
import { reached } from '../cadence.js';
import { CONNECT_GRACE_MS, freshTrack, trackKey, type AccountVerdict } from './channel-accounts.js';
import { followed } from './channel-cap.js';
import type { Signal } from './signal.js';
import { gracefulRestart } from './graceful-restart.js';
import { result, type Step } from '../step.js';
import type { Action, Decision } from '../types.js';

type ChannelRestart = Extract<Action, { type: 'channel-restart' }>;

const HINTS: Record<string, string> = {
  NO_TOKEN:
    'channel checks need the gateway token (openclaw.json gateway.auth.token, env OPENCLAW_GATEWAY_TOKEN, or gateway.token in the watchdog config)',
  AUTH_TOKEN_MISMATCH: 'the gateway rejected the token: channel checks need the right one',
  GATEWAY_UNKNOWN:
    "channel checks need this watchdog's own gateway on the port (its lock in the state dir naming the port, or the gateway the watchdog started): none is known, so no channel RPC is sent to whatever answers",
  GATEWAY_NOT_ON_PORT:
    "the gateway answering on the port is not this watchdog's own (its locked or started gateway does not hold the port): no channel RPC is sent to it",
};

/**
 * Channel accounts (a healthy check that gathered `channels.status`): a down account alerts
 * `channel_down` after channels.downAfterSec and is restarted alone; still down one more window
 * later, the gateway is restarted gracefully under backoff; back up, `channel_recovered`.
 * Blocked accounts (bad token) alert once with OpenClaw's fix and are never restarted.
 */
export const channelSignal: Signal = (step) => {
  const seen = step.obs.channels;
  if (!seen) return null;
  const { now } = step;
  const saved = step.state.channels;
  if (!seen.ok) {
    if (saved.unchecked !== seen.code) {
      const hint = HINTS[seen.code] ?? `channels.status failed (${seen.code})`;
      step.events.push({ level: 'warn', event: 'channels_unchecked', code: seen.code, hint });
    }
    step.state = { ...step.state, channels: { ...saved, checkedAt: now, unchecked: seen.code } };
    return null;
  }
  const old = new Map(saved.accounts.map((t) => [trackKey(t), t]));
  const actions: ChannelRestart[] = [];
  const gatewayDue: string[] = [];
  const tracks: ChannelTrack[] = [];
  const staleAfterSec = step.settings.channels.staleAfterSec;
  const { list, dropped } = followed(seen.accounts, old, now, staleAfterSec);
  for (const { a, verdict } of list) {
    const before = old.get(trackKey(a)) ?? freshTrack(a);
    tracks.push(follow(step, a, verdict, before, actions, gatewayDue));
  }
  if (dropped.length && !saved.overCap) {
    // The first 10 named: the event stays small.
    const ev = { count: dropped.length, followed: list.length, dropped: dropped.slice(0, 10) };
    step.events.push({ level: 'warn', event: 'channels_over_cap', ...ev });
  }
  const kept = [...tracks.filter((t) => !t.up), ...tracks.filter((t) => t.up)];
  const overCap = dropped.length;
  const channels: ChannelsState = { checkedAt: now, unchecked: null, accounts: kept, overCap };
  step.state = { ...step.state, channels };
  if (gatewayDue.length) return restartGateway(step, gatewayDue, actions);
  if (!actions.length) return null;
  return restartAccounts(step, actions);
};

const restartAccounts = (step: Step, actions: ChannelRestart[]): Decision =>
  result(step, 'degraded', `restarting channel account ${names(actions)}`, 1, actions);

/** One account's next track: its events pushed, its restart (if due) added to `actions`. */
function follow(
  step: Step,
  a: ChannelAccount,
  verdict: AccountVerdict,
  saved: ChannelTrack,
  actions: ChannelRestart[],
  gatewayDue: string[],
): ChannelTrack {
  const { now } = step;
  const { channel, account } = a;
  // Our own stop counts until the account is seen not stopped (then a stop is the user's).
  const { starting: _starting, ...kept } = saved;
  const before = { ...kept, ownStop: saved.ownStop === true && a.lifecycle === 'stopped' };
  if (verdict.kind === 'quiet' && before.since !== null) return { ...before, up: false };
  if (verdict.kind === 'up' || verdict.kind === 'quiet') {
    if (before.said !== null) {
      const downtimeSec = secs(now - (before.since ?? now));
      step.events.push({
        level: 'info',
        event: 'channel_recovered',
        channel,
        account,
        downtimeSec,
      });
    }
    return { ...before, up: true, since: null, said: null, step: 0, stepAt: null, ownStop: false };
  }
  // OpenClaw is retrying on its own ladder: not ours to act on yet (the downtime keeps running).
  if (verdict.kind === 'retrying') return { ...before, up: false };
  // Held by OpenClaw's crash-loop breaker: safe mode alerts it once for every account, and its
  // recovery starts them all; a stop by the user it is not, nor one to restart alone.
  if (verdict.kind === 'suppressed') return { ...before, up: false, step: 0, stepAt: null };
  const since = before.since ?? now;
  const t: ChannelTrack = { ...before, up: false, since };
  const downSec = secs(now - since);
  const lastError = a.lastError;
  if (verdict.kind === 'blocked') {
    if (before.said === 'blocked') return t;
    const fix = a.fix ? { fix: a.fix } : {};
    const then = channelStartCommand(channel, account, step.obs.profile ?? null);
    const ev = { channel, account, state: 'blocked', lastError, ...fix, then, downSec };
    step.events.push({ level: 'error', event: 'channel_down', ...ev });
    return { ...t, said: 'blocked' };
  }
  // Stryker disable next-line ConditionalExpression: only `down` gets here (followed() drops `skip`); it narrows the type
  if (verdict.kind !== 'down') return t;
  const { downAfterSec, action } = step.settings.channels;
  const { graced } = verdict;
  const { slackMs } = step;
  // Still starting within OpenClaw's connect grace: shown as starting, not down.
  if (graced && !reached(now, graced.from ?? since, CONNECT_GRACE_MS, slackMs))
    return { ...t, starting: true };
  if (!reached(now, since, downAfterSec * 1000, slackMs)) return t;
  if (before.said !== 'down') {
    const ev = { channel, account, state: verdict.state, lastError, downSec };
    step.events.push({ level: 'error', event: 'channel_down', ...ev });
    t.said = 'down';
  }
  if (action === 'alert') return t;
  if (before.step === 0) {
    const gateway = step.obs.liveGateway ?? null;
    actions.push({ type: 'channel-restart', channel, account, gateway });
    return { ...t, step: 1, stepAt: now, ownStop: true };
  }
  if (before.step === 1 && reached(now, before.stepAt ?? now, downAfterSec * 1000, slackMs))
    gatewayDue.push(`${channel}/${account}`);
  return t;
}

/** Accounts still down a window after their own restart: the gateway, gracefully, under backoff. */
function restartGateway(step: Step, due: string[], actions: ChannelRestart[]): Decision {
  const why = `channel account ${due.join(', ')} still down after its restart`;
  const target = step.obs.liveGateway;
  if (!target) {
    const detail = `${why}; the live gateway is not known (no lock, not started by the watchdog)`;
    return result(step, 'degraded', detail, 1, actions);
  }
  const drainSec = step.settings.restart.stopTimeoutSec;
  const decision = gracefulRestart(step, 'channel', why, target, drainSec);
  // Held by backoff or by OpenClaw's own work (an update, doctor): the accounts due alone are
  // still restarted; the gateway's turn stays due (tried again at the next check).
  if (decision.held || step.heldForOpenClaw)
    return actions.length ? restartAccounts(step, actions) : decision;
  // The gateway restart starts every account afresh: none of them is restarted alone again.
  const { now } = step;
  const accounts = step.state.channels.accounts.map((t) =>
    t.up ? t : { ...t, step: 2 as const, stepAt: now },
  );
  step.state = { ...step.state, channels: { ...step.state.channels, accounts } };
  return { ...decision, state: step.state };
}

const names = (actions: ChannelRestart[]): string =>
  actions.map((a) => `${a.channel}/${a.account}`).join(', ');

/** A paused check carried none of its channel restarts out: the steps stay as they were saved. */
export function undoChannelSteps(next: ChannelsState, saved: ChannelsState): ChannelsState {
  const old = new Map(saved.accounts.map((t) => [trackKey(t), t]));
  const accounts = next.accounts.map((t) => {
    const s = old.get(trackKey(t));
    return { ...t, step: s?.step ?? 0, stepAt: s?.stepAt ?? null };
  });
  return { ...next, accounts };
}
