import { restartChannelAccount } from '../channels/gather.js';
import { notOurGateway } from '../channels/observe.js';
import { verifyRestartedAccount } from '../channels/verify.js';
import type { Config } from '../config/load.js';
import type { ActionOf } from '../decide/types.js';
import type { WatchdogEvent } from '../store/event-types.js';
import type { ActContext } from '../act.js';

/** The least a channel restart gets (stop answered in 72 ms, start at once, on the real gateway). */
const CHANNEL_RESTART_MS = 10_000;

/** One channel account, alone: channels.stop then channels.start; its `channel_restart` event. */
export async function restartChannel(
  config: Config,
  action: ActionOf<'channel-restart'>,
  ctx: Pick<ActContext, 'now' | 'say'>,
): Promise<WatchdogEvent> {
  const { channel, account, gateway } = action;
  const timeoutMs = Math.max(config.settings.probe.timeoutMs, CHANNEL_RESTART_MS);
  // Checked again right before: the gateway read may have gone, and another taken the port.
  const notOurs = notOurGateway(gateway, config.port, config.host);
  let done = notOurs
    ? { ok: false, error: `not sent: ${notOurs} (the gateway on the port is not ours)` }
    : await restartChannelAccount(config, channel, account, timeoutMs);
  // Restarted only once seen running and still ready after channels.verifySec.
  if (done.ok && config.settings.channels.verifySec > 0) {
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const failed = await verifyRestartedAccount(config, channel, account, {
      now: ctx.now,
      sleep,
    });
    if (failed) done = { ...done, ok: false, error: `restarted, but ${failed}` };
  }
  ctx.say(`channel restart ${channel}/${account}: ${done.ok ? 'ok' : done.error}`);
  return {
    level: done.ok ? 'info' : 'warn',
    event: 'channel_restart',
    at: ctx.now(),
    channel,
    account,
    ...done,
  };
}
