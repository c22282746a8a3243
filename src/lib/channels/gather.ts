import type { Config } from '../config/load.js';
import { callGateway } from '../probe/rpc.js';
import { parseChannelsStatus } from './parse.js';
import type { ChannelsSeen } from './types.js';

/** The channel accounts, from one `channels.status` RPC (scope operator.read; `probe: false`:
 * the gateway's live state, no outbound probe of each channel). Never throws. */
export async function gatherChannels(config: Config, timeoutMs: number): Promise<ChannelsSeen> {
  const [answer] = await callGateway(
    config,
    [{ method: 'channels.status', params: { probe: false } }],
    { scopes: ['operator.read'], timeoutMs },
  );
  if (!answer?.ok) return { ok: false, code: answer?.code ?? 'ERROR' };
  return { ok: true, accounts: parseChannelsStatus(answer.payload) };
}

export interface ChannelRestartResult {
  ok: boolean;
  /** channels.start's outcome status (handed-off, skipped, retry), when it says. */
  start?: string;
  error?: string;
}

/** Restarts one account alone: `channels.stop` then `channels.start` {channel, accountId} over one
 * session (scope operator.admin). Never `channels.logout` (it deletes credentials). */
export async function restartChannelAccount(
  config: Config,
  channel: string,
  account: string,
  timeoutMs: number,
): Promise<ChannelRestartResult> {
  const params = { channel, accountId: account };
  const [stop, start] = await callGateway(
    config,
    [
      { method: 'channels.stop', params },
      { method: 'channels.start', params },
    ],
    { scopes: ['operator.admin'], timeoutMs },
  );
  const failed = [stop, start].find((a) => a && !a.ok);
  if (failed && !failed.ok) {
    const which = failed === stop ? 'channels.stop' : 'channels.start';
    return {
      ok: false,
      error: `${which}: ${failed.code}${failed.message ? ` ${failed.message}` : ''}`,
    };
  }
  const outcome = start?.ok ? start.payload.outcome : undefined;
  const status =
    outcome && typeof outcome === 'object' && 'status' in outcome ? outcome.status : undefined;
  // `skipped`: the account was stopped and not started again: a half-done restart, not ok.
  if (status === 'skipped')
    return {
      ok: false,
      start: status,
      error: 'channels.start: skipped (the account stays stopped)',
    };
  return { ok: true, ...(typeof status === 'string' ? { start: status } : {}) };
}
