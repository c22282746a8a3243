import type { Webhook } from '../config/schema.js';
import type { Level, WatchdogEvent } from '../store/event-types.js';
import { ALERT_EVENTS, describeEvent } from './describe.js';
import { sizeOf, withEvidenceText, type EvidenceStyle } from './fit.js';

export interface AlertContext {
  host: string;
  port: number;
  /** The gateway's name (fleet/names.ts): the heartbeat says which gateway of the host it is. */
  gateway?: string;
}
const EMOJI: Record<Level, string> = { error: '🔴', warn: '🟠', info: '🟢' };
/** The format a webhook gets: Discord's and Slack's shapes for their URLs under `auto`. */
export function resolveFormat(hook: Webhook): 'json' | 'discord' | 'slack' {
  if (hook.format !== 'auto') return hook.format;
  const url = new URL(hook.url);
  if (/(^|\.)discord(app)?\.com$/.test(url.hostname) && url.pathname.startsWith('/api/webhooks'))
    return 'discord';
  if (url.hostname === 'hooks.slack.com') return 'slack';
  return 'json';
}

/** What marks an alert: its id, and when it is late, when it was sent. */
export interface AlertMark {
  id?: string;
  late?: { sentAt: number };
}

/** ` (late: happened …, sent …)` for an alert a later check delivers; '' otherwise. */
export function lateNote(ts: string, mark: AlertMark): string {
  if (!mark.late) return '';
  return ` (late: happened ${ts}, sent ${new Date(mark.late.sentAt).toISOString()})`;
}

/** One line: level, host:port, (when, for a late alert,) what happened. */
export function headline(
  e: WatchdogEvent,
  ctx: AlertContext,
  ts = '',
  mark: AlertMark = {},
): string {
  // the late note first: a message cut to a service's limit keeps it
  return `${EMOJI[e.level]} openclaw-watchdog ${ctx.host}:${ctx.port}${lateNote(ts, mark)}: ${describeEvent(e)}`.trim();
}

/** Discord's content limit is 2000 characters; Slack takes ~40000, but an alert stays short. */
export const DISCORD_STYLE: EvidenceStyle = { max: 2000, unit: 'chars', fence: true };
export const SLACK_STYLE: EvidenceStyle = { max: 3000, unit: 'chars', fence: true };

/**
 * The headline and, for gateway_down / gateway_hung, the gateway's last lines, then (for an alert
 * with an id) a last line `id <short id>`, all within `style`.
 */
export function alertText(
  e: WatchdogEvent,
  ctx: AlertContext,
  style: EvidenceStyle,
  ts = '',
  mark: AlertMark = {},
): string {
  const evidence = e.event === 'gateway_down' || e.event === 'gateway_hung' ? e : null;
  const head = headline(e, ctx, ts, mark);
  const from = evidence?.evidenceNote
    ? `${evidence.evidenceFrom ?? 'the gateway log'} (${evidence.evidenceNote})`
    : evidence?.evidenceFrom;
  const idLine = mark.id ? `\nid ${shortId(mark.id)}` : '';
  const room = { ...style, max: style.max - sizeOf(idLine, style.unit) };
  return withEvidenceText(head, evidence?.evidence, from, room) + idLine;
}

/**
 * The alert id as a chat message shows it (its last line): the first 12 hex digits of the UUID,
 * 48 random bits, enough to tell a duplicate from another alert by eye. Generic JSON and command
 * input carry the whole id.
 */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(0, 12);
}

/** The request body for one event. Pure. */
export function webhookBody(
  hook: Webhook,
  e: WatchdogEvent,
  ts: string,
  ctx: AlertContext,
  mark: AlertMark = {},
): unknown {
  const message = headline(e, ctx, ts, mark);
  const format = resolveFormat(hook);
  if (format === 'discord') return { content: alertText(e, ctx, DISCORD_STYLE, ts, mark) };
  if (format === 'slack') return { text: alertText(e, ctx, SLACK_STYLE, ts, mark) };
  const { level, event, at: _at, ...details } = e;
  const id = mark.id ? { id: mark.id } : {};
  const late = mark.late ? { late: true, sentAt: new Date(mark.late.sentAt).toISOString() } : {};
  return { ...id, event, ts, ...late, host: ctx.host, port: ctx.port, level, message, details };
}

/** Does this hook want this event? Its own `events` list, else the default alert set. */
export function wants(hook: Webhook, event: string): boolean {
  return wantsEvent(hook.events, event);
}

/** A channel's own `events` list decides, else the default alert set. */
export function wantsEvent(events: readonly string[] | null, event: string): boolean {
  return events ? events.includes(event) : ALERT_EVENTS.has(event);
}

/** A webhook URL as it may appear in logs: scheme and host only. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<invalid url>';
  }
}
