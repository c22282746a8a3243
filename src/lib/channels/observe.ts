import type { Config } from '../config/load.js';
import { channelCheckDue } from '../decide/signals/channel-cadence.js';
import type { ProcRef } from '../decide/types.js';
import type { ProbeResult } from '../probe/types.js';
import { holdsListenPort } from '../procs/port-owner.js';
import type { State } from '../store/state.js';
import { gatherChannels } from './gather.js';
import type { ChannelsSeen } from './types.js';

/**
 * Why the gateway answering on the port is not provably this watchdog's own (no channel RPC is
 * sent to it), or null when it is: the gateway known as ours (its lock in our state dir naming
 * our port, or the one we spawned, each with its start time) holds the port's listening socket.
 */
export function notOurGateway(gateway: ProcRef | null, port: number, host?: string): string | null {
  if (!gateway) return 'GATEWAY_UNKNOWN';
  return holdsListenPort(gateway, port, host) ? null : 'GATEWAY_NOT_ON_PORT';
}

/** A healthy check's channel accounts, when a look is due (decide/channel-cadence.ts); else
 * undefined and no RPC at all. Only our own gateway is asked: another profile's gateway (or
 * anything else) answering on our port gets no RPC, and the look says why (`channels_unchecked`). */
export async function observeChannels(
  config: Config,
  probe: ProbeResult,
  state: State,
  now: number,
  gateway: ProcRef | null,
): Promise<ChannelsSeen | undefined> {
  if (!channelCheckDue(config.settings, state, probe.failing, now)) return undefined;
  // Without a token nothing would be sent anyway: that is the first thing to say (NO_TOKEN).
  const tokenless = config.token === null && config.authMode !== 'none';
  const why = tokenless ? null : notOurGateway(gateway, config.port, config.host);
  if (why) return { ok: false, code: why };
  return gatherChannels(config, config.settings.probe.timeoutMs);
}
