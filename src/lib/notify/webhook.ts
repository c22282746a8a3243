import type { Webhook } from '../config/schema.js';
import type { EventName } from '../store/event-types.js';
import type { Channel } from './channel-types.js';
import { channelKey } from './key.js';
import { resolveFormat, safeUrl, wants, webhookBody, type AlertContext } from './format.js';
import { request } from './http.js';

/** A webhook (generic JSON, Discord, Slack): one POST per alert. */
export function webhookChannel(hook: Webhook, ctx: AlertContext): Channel {
  const format = resolveFormat(hook);
  return {
    kind: 'webhook',
    key: channelKey('webhook', hook.url, format),
    label: `webhook ${format} ${safeUrl(hook.url)}`,
    wants: (name: EventName) => wants(hook, name),
    send: (alert, timeoutMs) => {
      const ts = new Date(alert.at).toISOString();
      const body = webhookBody(hook, alert.event, ts, ctx, alert);
      // Generic JSON receivers can drop duplicates by this header (at-least-once delivery).
      const headers: Record<string, string> =
        format === 'json' ? { 'idempotency-key': alert.id } : {};
      return request(hook.url, { method: 'POST', headers, body: body as object }, timeoutMs);
    },
  };
}
