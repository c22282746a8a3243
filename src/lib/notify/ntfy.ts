import type { NtfyTarget } from '../config/channel-settings.js';
import type { EventName, Level } from '../store/event-types.js';
import type { Alert, Channel } from './channel-types.js';
import { cut, type EvidenceStyle } from './fit.js';
import { describeEvent } from './describe.js';
import { alertText, safeUrl, wantsEvent, type AlertContext } from './format.js';
import { channelKey } from './key.js';
import { request } from './http.js';

/** ntfy keeps messages up to 4096 bytes (a longer one becomes an attachment, or is refused). */
export const NTFY_STYLE: EvidenceStyle = { max: 4096, unit: 'bytes', fence: false };

const LEVEL_PRIORITY: Record<Level, number> = { error: 4, warn: 3, info: 3 };
const LEVEL_TAG: Record<Level, string> = {
  error: 'rotating_light',
  warn: 'warning',
  info: 'white_check_mark',
};

/**
 * An HTTP header value as ntfy reads it: ASCII as is, anything else as an RFC 2047 encoded-word
 * (`=?UTF-8?B?…?=`, which ntfy decodes). Raw UTF-8 in a header is not safe (fetch sends latin1).
 */
export function headerValue(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

/** The request for one alert: POST the message to the topic URL, title, priority and tags as headers. */
export function ntfyRequest(target: NtfyTarget, alert: Alert, ctx: AlertContext) {
  const e = alert.event;
  const ts = new Date(alert.at).toISOString();
  const title = cut(
    `openclaw-watchdog ${ctx.host}:${ctx.port}: ${describeEvent(e).split('\n')[0]}`,
    250,
    'chars',
  );
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    title: headerValue(title),
    priority: String(target.priority ?? LEVEL_PRIORITY[e.level]),
    tags: headerValue([LEVEL_TAG[e.level], ...target.tags].join(',')),
    ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
  };
  const body = alertText(e, ctx, NTFY_STYLE, ts, alert);
  return { headers, body };
}

/** An ntfy topic: one POST per alert. */
export function ntfyChannel(target: NtfyTarget, ctx: AlertContext): Channel {
  return {
    kind: 'ntfy',
    key: channelKey('ntfy', target.url),
    label: `ntfy ${safeUrl(target.url)}`,
    wants: (name: EventName) => wantsEvent(target.events, name),
    send: (alert, timeoutMs) => {
      const { headers, body } = ntfyRequest(target, alert, ctx);
      return request(target.url, { method: 'POST', headers, body }, timeoutMs);
    },
  };
}
