import type { Config } from '../config/load.js';
import { channelCheckDue } from '../decide/channel-cadence.js';
import type { ProbeResult } from '../probe/types.js';
import type { State } from '../store/state.js';
import { gatherChannels } from './gather.js';
import type { ChannelsSeen } from './types.js';

/** A healthy check's channel accounts, when a look is due (decide/channel-cadence.ts); else
 * undefined and no RPC at all. */
export async function observeChannels(
  config: Config,
  probe: ProbeResult,
  state: State,
  now: number,
): Promise<ChannelsSeen | undefined> {
  if (!channelCheckDue(config.settings, state, probe.failing, now)) return undefined;
  return gatherChannels(config, config.settings.probe.timeoutMs);
}
