import { randomUUID } from 'node:crypto';
import type { WatchdogEvent } from '../store/events.js';
import { redactDeep } from '../redact.js';
import type { Alert, Channel } from './channel.js';

export interface SendContext {
  timeoutMs: number;
  now: number;
  secrets?: string[];
}

/** Alerts for events, one id each; every event redacted (configured secrets, key-shaped text). */
export function alertsOf(events: WatchdogEvent[], now: number, secrets: string[]): Alert[] {
  return redactDeep(events, secrets).map((event) => ({
    id: randomUUID(),
    event,
    at: event.at ?? now,
  }));
}

/**
 * Sends each event a channel wants, all channels in parallel, each channel's in order:
 * `timeoutMs` per request, one retry; a channel that fails gets no more this time. Returns
 * `notify_failed` events naming the channel by its label (never a secret).
 */
export async function sendAlerts(
  channels: Channel[],
  events: WatchdogEvent[],
  ctx: SendContext,
): Promise<WatchdogEvent[]> {
  const secrets = ctx.secrets ?? [];
  const alerts = alertsOf(events, ctx.now, secrets);
  const jobs = channels.map(async (channel): Promise<WatchdogEvent | null> => {
    for (const alert of alerts.filter((a) => channel.wants(a.event.event))) {
      let error = await channel.send(alert, ctx.timeoutMs);
      if (error) error = await channel.send(alert, ctx.timeoutMs);
      if (error)
        return {
          level: 'warn',
          event: 'notify_failed',
          channel: channel.label,
          about: alert.event.event,
          error: redactDeep(error, secrets),
        };
    }
    return null;
  });
  return (await Promise.all(jobs)).filter((e): e is WatchdogEvent => e !== null);
}
