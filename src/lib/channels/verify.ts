import type { Config } from '../config/load.js';
import { classifyAccount } from '../decide/signals/channel-accounts.js';
import { gatherChannels } from './gather.js';
import type { ChannelAccount, ChannelsSeen } from './types.js';

/** How often a restarted account is looked at while it is watched. */
export const VERIFY_POLL_MS = 1000;

/** One look at a restarted account: up (running and ready), still coming up, or failed. */
export type AccountLook = { kind: 'up' } | { kind: 'coming' } | { kind: 'failed'; why: string };

const described = (a: ChannelAccount): string =>
  [
    `lifecycle ${a.lifecycle ?? 'unknown'}`,
    a.healthState && `health ${a.healthState}`,
    a.running === false && 'not running',
    a.lastError && `lastError: ${a.lastError}`,
  ]
    .filter(Boolean)
    .join(', ');

/**
 * What one `channels.status` says of the account just restarted. Pure. `up`: running and ready
 * (classifyAccount up, or quiet: connected, no traffic yet); `failed`: blocked (a bad token), or
 * down again after it was seen up; else still coming up (starting, reconnecting, not listed yet).
 */
export function lookAtRestarted(
  seen: ChannelsSeen,
  channel: string,
  account: string,
  wasUp: boolean,
  now: number,
  staleAfterSec: number,
): AccountLook {
  if (!seen.ok) return { kind: 'coming' };
  const a = seen.accounts.find((x) => x.channel === channel && x.account === account);
  if (!a) return { kind: 'coming' };
  const verdict = classifyAccount(a, now, staleAfterSec);
  if (verdict.kind === 'up' || verdict.kind === 'quiet')
    return a.running === false ? { kind: 'coming' } : { kind: 'up' };
  if (verdict.kind === 'blocked') return { kind: 'failed', why: `blocked (${described(a)})` };
  if (wasUp) return { kind: 'failed', why: `down again (${described(a)})` };
  return { kind: 'coming' };
}

export interface VerifyDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  gather?: (config: Config, timeoutMs: number) => Promise<ChannelsSeen>;
}

/**
 * Watches a restarted account for channels.verifySec: ok only if it was seen up and was up at the
 * last look (a restart that fails again within the window is no restart). Null when ok; else why.
 */
export async function verifyRestartedAccount(
  config: Config,
  channel: string,
  account: string,
  deps: VerifyDeps,
): Promise<string | null> {
  const { verifySec, staleAfterSec } = config.settings.channels;
  const gather = deps.gather ?? gatherChannels;
  const deadline = deps.now() + verifySec * 1000;
  let wasUp = false;
  let last = 'not seen yet';
  for (;;) {
    const seen = await gather(config, config.settings.probe.timeoutMs);
    const look = lookAtRestarted(seen, channel, account, wasUp, deps.now(), staleAfterSec);
    if (look.kind === 'failed') return look.why;
    wasUp = look.kind === 'up';
    if (!seen.ok) last = `channels.status failed (${seen.code})`;
    else {
      const a = seen.accounts.find((x) => x.channel === channel && x.account === account);
      last = a ? described(a) : 'not listed';
    }
    if (deps.now() >= deadline) break;
    await deps.sleep(Math.min(VERIFY_POLL_MS, Math.max(0, deadline - deps.now())));
  }
  return wasUp ? null : `not running after ${verifySec} s (${last})`;
}
