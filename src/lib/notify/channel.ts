import type { Settings } from '../config/schema.js';
import type { AlertContext } from './format.js';
import { commandChannel } from './command.js';
import { ntfyChannel } from './ntfy.js';
import { telegramChannel } from './telegram.js';
import { webhookChannel } from './webhook.js';

export { channelKey } from './key.js';

import type { Channel } from './channel-types.js';

export type { Alert, Channel } from './channel-types.js';

/** Every configured alert channel, in config order; `secrets`: the configured ones (see command.ts). */
export function channelsOf(
  settings: Settings,
  ctx: AlertContext,
  secrets: readonly string[] = [],
): Channel[] {
  return [
    ...settings.notify.webhooks.map((hook) => webhookChannel(hook, ctx)),
    ...settings.notify.ntfy.map((target) => ntfyChannel(target, ctx)),
    ...settings.notify.telegram.map((target) => telegramChannel(target, ctx)),
    ...settings.notify.commands.map((target) => commandChannel(target, ctx, secrets)),
  ];
}
