import type { State } from '../../store/state.js';
import { cadenceSlackMs, reached } from '../cadence.js';
import type { DecideSettings } from '../types.js';

/** `/readyz` `failing` entries that are not channels (OpenClaw 2026.9.6 server-start). */
const NOT_CHANNELS = new Set(['gateway-draining', 'plugin-reload', 'state-database', 'internal']);

/** The channels `/readyz` names as failing: its other entries (startup reasons, agent
 * databases, draining) are not channels. */
export function failingChannels(failing: readonly string[] | undefined): string[] {
  return (failing ?? []).filter(
    (f) => !NOT_CHANNELS.has(f) && !f.startsWith('startup-') && !f.includes(':'),
  );
}

/**
 * A healthy check asks the gateway for its channel accounts (one `channels.status` RPC) only
 * when it is worth it: `/readyz` names a failing channel, an account seen down (its
 * timers need the next look), or `channels.checkEverySec` has passed since the last gathering
 * (a channel that looks connected but moves nothing shows only there). Pure.
 */
export function channelCheckDue(
  settings: DecideSettings,
  state: State,
  failing: readonly string[] | undefined,
  now: number,
): boolean {
  if (failingChannels(failing).length > 0) return true;
  const { checkedAt, accounts, unchecked } = state.channels;
  // An account seen down is followed every check (its timers run), unless the gathering itself
  // fails (no token) or it is blocked (alerted once, never restarted: nothing to follow).
  if (unchecked === null && accounts.some((a) => a.since !== null && a.said !== 'blocked'))
    return true;
  // Stryker disable next-line ConditionalExpression: reached() from a null checkedAt counts from the epoch: due too
  if (checkedAt === null) return true; // never gathered
  if (now < checkedAt) return true; // the clock went back
  const slackMs = cadenceSlackMs(state.lastCheckAt, now);
  return reached(now, checkedAt, settings.channels.checkEverySec * 1000, slackMs);
}
