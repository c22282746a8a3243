import type { Webhook } from '../config/schema.js';
import type { EventName, EventOf, Level, WatchdogEvent } from '../store/event-types.js';
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
};

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
      return e.event.replace(/_/g, ' ');
  }
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

/** The request body for one event. Pure. */
export function webhookBody(
  hook: Webhook,
  e: WatchdogEvent,
  ts: string,
  ctx: AlertContext,
): unknown {
  const message =
    `${EMOJI[e.level]} openclaw-watchdog ${ctx.host}:${ctx.port}: ${describeEvent(e)}`.trim();
  const format = resolveFormat(hook);
  if (format === 'discord') return { content: message.slice(0, 2000) };
  if (format === 'slack') return { text: message };
  const { level, event, at: _at, ...details } = e;
  return { event, ts, host: ctx.host, port: ctx.port, level, message, details };
}

/** Does this hook want this event? Its own `events` list, else the default alert set. */
export function wants(hook: Webhook, event: string): boolean {
  return hook.events ? hook.events.includes(event) : ALERT_EVENTS.has(event);
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
