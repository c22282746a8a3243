import type { Webhook } from '../config/schema.js';
import type { EventName, EventOf, Level, WatchdogEvent } from '../store/event-types.js';
import { sizeOf, withEvidenceText, type EvidenceStyle } from './fit.js';
import {
  describeChildrenHigh,
  describeEventLoopLag,
  describeMemoryHigh,
} from './format-pressure.js';

/** Whether an event alerts by default: one per change of an incident. Every event says. */
const ALERTS: Record<EventName, boolean> = {
  gateway_down: true,
  gateway_hung: true,
  gateway_restart: true,
  gateway_recovered: true,
  restart_failed: true,
  crash_loop: true,
  port_conflict: true,
  incident_reminder: true,
  record_failed: true,
  // The gateway stays down on purpose: one alert per stop, the only trace a forgotten stop leaves.
  gateway_stopped_by_user: true,
  disk_low: true,
  memory_high: true,
  children_high: true,
  event_loop_lag: true,
  gateway_unresponsive: false,
  waiting: false,
  restart_deferred: false,
  gateway_stopped: false,
  orphans_found: false,
  orphans_reaped: false,
  paused: false,
  resumed: false,
  action_skipped: false,
  lock_busy: false,
  lock_lost: false,
  state_reset: false,
  config_error: false,
  metrics_failed: false,
  notify_failed: false,
  // about alert delivery itself: alerting through the channels that fail would loop
  notify_dropped: false,
  heartbeat_failed: false,
  // sent by `notify test` through every channel, whatever it wants
  notify_test: false,
  channel_down: true,
  channel_restart: true,
  channel_recovered: true,
  channels_unchecked: false,
  // a monitoring gap: accounts nobody watches
  channels_over_cap: true,
};

/** Whether this build knows an event by that name (a queued alert may be another version's). */
export const knownEvent = (name: string): boolean => Object.hasOwn(ALERTS, name);

/** Events that alert by default. */
export const ALERT_EVENTS: ReadonlySet<string> = new Set(
  Object.entries(ALERTS)
    .filter(([, alerts]) => alerts)
    .map(([name]) => name),
);

export interface AlertContext {
  host: string;
  port: number;
}

const EMOJI: Record<Level, string> = { error: '🔴', warn: '🟠', info: '🟢' };

/** Who holds the port, by a port_conflict's `holder`. */
const HOLDERS: Record<string, string> = {
  foreign: 'another program',
  other_gateway: "another state dir's or profile's gateway",
  unattributed: 'a gateway that cannot be attributed',
};

/** One human line for an event: what happened, and the detail that matters. */
export function describeEvent(e: WatchdogEvent): string {
  switch (e.event) {
    case 'gateway_down':
      return `gateway down: ${e.reason}`;
    case 'gateway_hung':
      return `gateway hung: ${e.reason}; stopping it`;
    case 'gateway_restart':
      return `gateway restarted (${e.reason}, via ${e.method}${e.pid ? `, pid ${e.pid}` : ''})`;
    case 'gateway_recovered':
      return `gateway recovered after ${e.downtimeSec} s`;
    case 'restart_failed':
      return describeRestartFailed(e);
    case 'crash_loop':
      return `crash loop: ${e.consecutiveRestarts} restarts without stable uptime; backing off`;
    case 'port_conflict':
      return `port held by ${HOLDERS[e.holder ?? 'foreign'] ?? 'another program'} (pid ${e.pid ?? '?'}, ${e.name ?? 'unknown'}); not touching it`;
    case 'incident_reminder':
      return `still ${e.kind} after ${e.sinceSec} s`;
    case 'notify_test':
      return 'test alert (openclaw-watchdog notify test): this channel works';
    case 'gateway_stopped_by_user':
      return `gateway stopped by the user (${e.source === 'systemd' ? 'systemctl --user stop' : 'openclaw gateway stop'} at ${e.stoppedAt}); not restarting it until it is started again`;
    case 'disk_low':
      return describeDiskLow(e);
    case 'channel_down':
      return describeChannelDown(e);
    case 'channel_restart':
      return e.ok
        ? `channel ${e.channel}/${e.account} restarted alone${e.start ? ` (${e.start})` : ''}`
        : `channel ${e.channel}/${e.account} could not be restarted: ${e.error ?? 'unknown error'}`;
    case 'channel_recovered':
      return `channel ${e.channel}/${e.account} recovered after ${e.downtimeSec} s`;
    case 'channels_unchecked':
      return `channels not checked: ${e.hint}`;
    case 'channels_over_cap':
      return `${e.count} channel account(s) not followed (at most ${e.followed}; down ones first): ${e.dropped.join(', ')}${e.dropped.length < e.count ? ', …' : ''}`;
    case 'memory_high':
      return describeMemoryHigh(e);
    case 'children_high':
      return describeChildrenHigh(e);
    case 'event_loop_lag':
      return describeEventLoopLag(e);
    case 'gateway_unresponsive':
    case 'waiting':
    case 'restart_deferred':
    case 'gateway_stopped':
    case 'orphans_found':
    case 'orphans_reaped':
    case 'paused':
    case 'resumed':
    case 'action_skipped':
    case 'lock_busy':
    case 'lock_lost':
    case 'state_reset':
    case 'config_error':
    case 'record_failed':
    case 'metrics_failed':
    case 'notify_failed':
    case 'notify_dropped':
    case 'heartbeat_failed':
      return e.event.replace(/_/g, ' ');
  }
}

const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

function describeDiskLow(e: EventOf<'disk_low'>): string {
  const where = e.filesystems
    .map((f) => `${f.paths.join(', ')}: ${MB(f.freeBytes)} free (${f.freePercent} %)`)
    .join('; ');
  const big = e.largest
    .slice(0, 3)
    .map((d) => `${d.path} ${d.truncated ? '≥ ' : ''}${MB(d.bytes)}`)
    .join(', ');
  return `disk low: ${where}${big ? `; largest: ${big}` : ''}`;
}

function describeChannelDown(e: EventOf<'channel_down'>): string {
  const what = e.state === 'stale' ? 'no transport activity' : e.state;
  const why = e.lastError ? `: ${e.lastError}` : '';
  const next = e.state === 'blocked' ? '; not restarting (OpenClaw will not retry it)' : '';
  const fix = e.fix ? `\nfix: ${e.fix}` : '';
  return `channel ${e.channel}/${e.account} down (${what}) for ${e.downSec} s${why}${next}${fix}`;
}

function describeRestartFailed(e: EventOf<'restart_failed'>): string {
  const why = e.hint ?? e.error ?? '';
  const output = (e.output ?? '').split('\n').slice(-5).join('\n');
  return `restart failed (exit ${String(e.exitCode)})${why ? `: ${why}` : ''}${output ? `\n${output}` : ''}`;
}

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
