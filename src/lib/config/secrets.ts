import { argvSecrets, urlSecrets } from '../redact.js';
import type { Config } from './load.js';

/**
 * Every configured secret: the gateway token and password, each webhook and heartbeat URL (and its parts),
 * each ntfy topic URL (random-looking topics too) and token, each Telegram bot token, and the
 * secret-looking arguments of restart.command and of the command notifiers. These never reach a
 * log, a report or an alert (see redact.ts).
 */
export function configSecrets(config: Config): string[] {
  const { settings } = config;
  return [
    config.token ?? '',
    config.password ?? '',
    config.env.OPENCLAW_GATEWAY_TOKEN ?? '',
    config.env.OPENCLAW_GATEWAY_PASSWORD ?? '',
    ...settings.notify.webhooks.flatMap((w) => urlSecrets(w.url)),
    ...(settings.notify.heartbeat ? urlSecrets(settings.notify.heartbeat.url) : []),
    ...settings.notify.ntfy.flatMap((n) => [...urlSecrets(n.url), n.token ?? '']),
    ...settings.notify.telegram.map((t) => t.botToken),
    ...settings.notify.commands.flatMap((c) => argvSecrets(c.argv)),
    ...argvSecrets(settings.restart.command ?? []),
  ].filter((s) => s.length > 0);
}
