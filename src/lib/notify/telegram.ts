import type { TelegramTarget } from '../config/channel-settings.js';
import { redactText } from '../redact.js';
import type { EventName } from '../store/event-types.js';
import type { Alert, Channel } from './channel-types.js';
import type { EvidenceStyle } from './fit.js';
import { alertText, wantsEvent, type AlertContext } from './format.js';
import { readCapped } from './http.js';
import { channelKey } from './key.js';

/** Telegram refuses a message longer than 4096 characters. Plain text: nothing to escape. */
export const TELEGRAM_STYLE: EvidenceStyle = { max: 4096, unit: 'chars', fence: false };

/** The sendMessage body for one alert: plain text (no parse_mode), no link previews. */
export function telegramBody(target: TelegramTarget, alert: Alert, ctx: AlertContext) {
  const ts = new Date(alert.at).toISOString();
  return {
    chat_id: target.chatId,
    text: alertText(alert.event, ctx, TELEGRAM_STYLE, ts, alert),
    link_preview_options: { is_disabled: true },
  };
}

/**
 * POSTs to `<apiRoot>/bot<token>/sendMessage`. The reason for a failure is Telegram's own
 * `description` (`HTTP 400: Bad Request: chat not found`), never the URL: the token is in it.
 */
async function sendMessage(target: TelegramTarget, body: object, timeoutMs: number) {
  const hide = (text: string) => redactText(text, [target.botToken]).slice(0, 200);
  try {
    const res = await fetch(`${target.apiRoot}/bot${target.botToken}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'openclaw-watchdog' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // at most MAX_REPLY_BYTES of the answer, read within the same timeout
    const answer = parseAnswer(await readCapped(res).catch(() => Buffer.alloc(0)));
    if (res.ok) return null;
    const why = typeof answer?.description === 'string' ? `: ${answer.description}` : '';
    return hide(`HTTP ${res.status}${why}`);
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    return hide(e.cause?.code ?? e.message);
  }
}

function parseAnswer(body: Buffer): { description?: unknown } | null {
  try {
    return JSON.parse(body.toString('utf8')) as { description?: unknown } | null;
  } catch {
    return null;
  }
}

/** A Telegram chat, through a bot. The label names the chat, never the token. */
export function telegramChannel(target: TelegramTarget, ctx: AlertContext): Channel {
  return {
    kind: 'telegram',
    key: channelKey('telegram', target.apiRoot, target.botToken.split(':')[0]!, target.chatId),
    label: `telegram chat ${target.chatId}`,
    wants: (name: EventName) => wantsEvent(target.events, name),
    send: (alert, timeoutMs) => sendMessage(target, telegramBody(target, alert, ctx), timeoutMs),
  };
}
