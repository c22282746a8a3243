import { argvSecrets, urlSecrets } from '../redact.js';
import type { Config } from './load.js';

/**
 * Every configured secret: the gateway token and password, each webhook and heartbeat URL (and its parts),
 * and the secret-looking arguments of restart.command. These never reach a log, a report or an
 * alert (see redact.ts).
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
    ...argvSecrets(settings.restart.command ?? []),
  ].filter((s) => s.length > 0);
}
