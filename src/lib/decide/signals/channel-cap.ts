import type { ChannelAccount } from '../../channels/types.js';
import type { ChannelTrack } from '../../store/state.js';
import { MAX_CHANNEL_ACCOUNTS } from '../../store/state-validate.js';
import { classifyAccount, trackKey, type AccountVerdict } from './channel-accounts.js';

/**
 * The accounts this check follows: not the skipped ones (disabled, stopped by the user), one per
 * key, and at most MAX_CHANNEL_ACCOUNTS (state.json has a fixed size), in this order: down and
 * actionable (or stopped by our own restart); newly not up or just back up (to say recovered);
 * still on OpenClaw's own retry ladder; blocked (never restarted: alerted ones before new ones);
 * up and fine last (its track holds nothing but the metric). Those past the cap are not followed (no event, no
 * restart) until a place frees: `dropped` says how many and which.
 */
export function followed(
  accounts: ChannelAccount[],
  old: Map<string, ChannelTrack>,
  now: number,
  staleAfterSec: number,
): { list: { a: ChannelAccount; verdict: AccountVerdict }[]; dropped: string[] } {
  const seen = new Set<string>();
  const list = accounts.flatMap((a) => {
    const key = trackKey(a);
    const was = old.get(key);
    const verdict = ownStopped(a, was)
      ? ({ kind: 'down', state: 'stopped' } as const)
      : classifyAccount(a, now, staleAfterSec);
    if (verdict.kind === 'skip' || seen.has(key)) return [];
    seen.add(key);
    return [{ a, verdict, rank: rankOf(verdict, was) }];
  });
  const sorted = list.sort((x, y) => x.rank - y.rank);
  return {
    list: sorted.slice(0, MAX_CHANNEL_ACCOUNTS).map(({ a, verdict }) => ({ a, verdict })),
    dropped: sorted.slice(MAX_CHANNEL_ACCOUNTS).map(({ a }) => `${a.channel}/${a.account}`),
  };
}

function rankOf(verdict: AccountVerdict, was: ChannelTrack | undefined): number {
  const known = was !== undefined && !was.up;
  // Down: those followed already keep their places (their downtime and steps run on).
  if (verdict.kind === 'down') return known ? 0 : 0.5;
  // Blocked: alerted already before new ones. A new one ranked higher would push an alerted one
  // out, to be new (and alerted) again at the next look: an alert every check.
  if (verdict.kind === 'blocked') return was?.said === 'blocked' ? 3 : 3.5;
  if (verdict.kind === 'retrying') return known ? 2 : 1;
  // Up (or quiet) and seen down before: about to be said recovered (or still waits for traffic).
  // Up and fine: last, after the alerted blocked ones, whose place must hold (dropped, a blocked
  // one would be new again at the next look and alerted again).
  return known ? 1 : 4;
}

/**
 * Stopped since our own restart stopped it (channels.stop answered, channels.start failed or
 * was skipped): not a stop by the user, still ours to recover (escalated like any account still
 * down after its restart) and shown down.
 */
function ownStopped(a: ChannelAccount, was: ChannelTrack | undefined): boolean {
  return was?.ownStop === true && a.lifecycle === 'stopped' && a.enabled !== false && a.managed;
}
