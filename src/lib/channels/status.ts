import { ago, duration } from '../cli/human.js';
import { printable } from '../cli/terminal.js';
import type { ChannelsState } from '../store/state.js';
import { iso } from '../units.js';

export interface ChannelsStatus {
  checkedAt: string | null;
  /** Why the last look failed (NO_TOKEN, …), else null. */
  unchecked: string | null;
  /** Accounts the last look left unfollowed (over the cap of state.json). */
  notFollowed: number;
  accounts: {
    channel: string;
    account: string;
    up: boolean;
    /** Not ready yet within OpenClaw's connect grace (not counted as down). */
    starting: boolean;
    downSince: string | null;
    /** What was alerted: down, blocked (never restarted), or null. */
    alerted: string | null;
    /** Recovery so far: none, account (restarted alone), gateway (restarted gracefully). */
    recovery: 'none' | 'account' | 'gateway';
  }[];
}

const RECOVERY = ['none', 'account', 'gateway'] as const;

/** The channel accounts as the last look saw them (from the state: status asks no RPC). */
export function channelsStatus(c: ChannelsState): ChannelsStatus {
  return {
    checkedAt: c.checkedAt === null ? null : iso(c.checkedAt),
    unchecked: c.unchecked,
    notFollowed: c.overCap ?? 0,
    accounts: c.accounts.map((a) => ({
      channel: a.channel,
      account: a.account,
      up: a.up,
      starting: !a.up && a.starting === true,
      downSince: a.since === null ? null : iso(a.since),
      alerted: a.said,
      recovery: RECOVERY[a.step],
    })),
  };
}

/** The `channels` line of `status`. */
export function formatChannels(c: ChannelsStatus, now = Date.now()): string {
  if (c.unchecked) return `channels  not checked: ${c.unchecked}`;
  if (!c.checkedAt) return 'channels  not checked yet';
  const list = c.accounts.map((a) => {
    const name = `${printable(a.channel)}/${printable(a.account)}`;
    if (a.up) return `${name} up`;
    if (a.starting) return `${name} starting`;
    const since = a.downSince ? ` ${duration((now - Date.parse(a.downSince)) / 1000)}` : '';
    const how =
      a.alerted === 'blocked'
        ? ', blocked: not restarted'
        : a.recovery !== 'none'
          ? `, ${a.recovery} restarted`
          : '';
    return `${name} DOWN${since}${how}`;
  });
  if (c.notFollowed) list.push(`${c.notFollowed} more not followed (over the cap)`);
  return `channels  ${list.length ? list.join(', ') : 'no accounts'} (checked ${ago(c.checkedAt, now)})`;
}
