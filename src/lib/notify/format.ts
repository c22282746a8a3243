import type { Webhook } from '../config/schema.js';
import type { WatchdogEvent } from '../store/events.js';

/** Events that alert by default: one per change of an incident. */
export const ALERT_EVENTS = new Set([
  'gateway_down',
  'gateway_hung',
  'gateway_restart',
  'gateway_recovered',
  'restart_failed',
  'crash_loop',
  'port_conflict',
  'incident_reminder',
  'record_failed',
]);

export interface AlertContext {
  host: string;
  port: number;
}

const EMOJI: Record<string, string> = { error: '🔴', warn: '🟠', info: '🟢' };

/** One human line for an event: what happened, and the detail that matters. */
export function describeEvent(e: WatchdogEvent): string {
  const d = e as Record<string, unknown>;
  switch (e.event) {
    case 'gateway_down':
      return `gateway down: ${String(d.reason ?? '')}`;
    case 'gateway_hung':
      return `gateway hung: ${String(d.reason ?? '')}; stopping it`;
    case 'gateway_restart':
      return `gateway restarted (${String(d.reason)}, via ${String(d.method)}${d.pid ? `, pid ${String(d.pid)}` : ''})`;
    case 'gateway_recovered':
      return `gateway recovered after ${String(d.downtimeSec)} s`;
    case 'restart_failed': {
      const why = d.hint ?? d.error ?? '';
      const output = String(d.output ?? '')
        .split('\n')
        .slice(-5)
        .join('\n');
      return `restart failed (exit ${String(d.exitCode)})${why ? `: ${String(why)}` : ''}${output ? `\n${output}` : ''}`;
    }
    case 'crash_loop':
      return `crash loop: ${String(d.consecutiveRestarts)} restarts without ${'stable uptime'}; backing off`;
    case 'port_conflict':
      return `port held by another program (pid ${String(d.pid ?? '?')}, ${String(d.name ?? 'unknown')}); not touching it`;
    case 'incident_reminder':
      return `still ${String(d.kind)} after ${String(d.sinceSec)} s`;
    default:
      return e.event.replace(/_/g, ' ');
  }
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
    `${EMOJI[e.level] ?? ''} openclaw-watchdog ${ctx.host}:${ctx.port}: ${describeEvent(e)}`.trim();
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
