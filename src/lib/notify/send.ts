import { randomUUID } from 'node:crypto';
import type { WatchdogEvent } from '../store/events.js';
import type { ChannelRetry, Outbox, Queued } from '../store/outbox.js';
import { redactDeep } from '../redact.js';
import { iso } from '../units.js';
import type { Alert, Channel } from './channel.js';
import { bound, due, expire, nextAttempt, type DropReason, type OutboxLimits } from './outbox.js';

export interface SendContext {
  timeoutMs: number;
  now: number;
  secrets?: string[];
  limits: OutboxLimits;
}

/** Alerts for events, one id each; every event redacted (configured secrets, key-shaped text). */
export function alertsOf(events: WatchdogEvent[], now: number, secrets: string[]): Alert[] {
  return redactDeep(events, secrets).map((event) => ({
    id: randomUUID(),
    event,
    at: event.at ?? now,
  }));
}

interface ChannelResult {
  left: Queued[];
  retry: ChannelRetry | null;
  event: WatchdogEvent | null;
}

/**
 * Delivers this check's alerts and the outbox's, all channels in parallel, each channel's in
 * order: first what waits for it (marked late), then what is new. A channel stops at its first
 * failure (one request of `timeoutMs`, however much waits), and what is left waits in the outbox
 * for a later check, after a backoff. Returns the new outbox and the events to log:
 * `notify_failed` (naming the channel by its label, never a secret) and `notify_dropped`.
 */
export async function deliver(
  channels: Channel[],
  events: WatchdogEvent[],
  before: Outbox,
  ctx: SendContext,
): Promise<{ outbox: Outbox; events: WatchdogEvent[] }> {
  const { now, limits } = ctx;
  const secrets = ctx.secrets ?? [];
  const alerts = alertsOf(events, now, secrets);
  const keys = new Set(channels.map((c) => c.key));
  const expired = expire(before, keys, now, limits.maxAgeMs);
  const outbox = expired.outbox;
  const results = await Promise.all(
    channels.map((channel) => {
      const waiting = outbox.alerts.filter((a) => a.channel === channel.key);
      const fresh = alerts.filter((a) => channel.wants(a.event.event));
      return deliverTo(channel, waiting, fresh, outbox.retry[channel.key], ctx, secrets);
    }),
  );
  const retry: Record<string, ChannelRetry> = {};
  results.forEach((r, i) => {
    if (r.retry) retry[channels[i]!.key] = r.retry;
  });
  const next = { ...outbox, alerts: results.flatMap((r) => r.left), retry };
  const bounded = bound(next, limits.max);
  const dropped = { ...expired.dropped, full: bounded.dropped };
  return {
    outbox: bounded.outbox,
    events: [
      ...results.flatMap((r) => (r.event ? [r.event] : [])),
      ...droppedEvents(dropped, bounded.outbox.dropped),
    ],
  };
}

async function deliverTo(
  channel: Channel,
  waiting: Queued[],
  fresh: Alert[],
  retry: ChannelRetry | undefined,
  ctx: SendContext,
  secrets: string[],
): Promise<ChannelResult> {
  const { now } = ctx;
  const queue: Queued[] = [
    ...waiting,
    ...fresh.map((a) => ({ ...a, channel: channel.key, queuedAt: now })),
  ];
  if (!queue.length) return { left: [], retry: null, event: null };
  const failed = (error: string, about: Queued, left: Queued[]): WatchdogEvent => ({
    level: 'warn',
    event: 'notify_failed',
    channel: channel.label,
    about: about.event.event,
    error: redactDeep(error, secrets),
    queued: left.length,
  });
  if (waiting.length && !due(retry, now)) {
    // Still backing off: the new alerts wait behind the old ones (order), untried.
    const r = retry!;
    const event = fresh.length
      ? failed(
          `not tried before ${iso(r.nextAttemptAt)} (last: ${r.error})`,
          queue[waiting.length]!,
          queue,
        )
      : null;
    return { left: queue, retry: r, event };
  }
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i]!;
    const late = item.queuedAt < now ? { late: { sentAt: now } } : {};
    const alert: Alert = { id: item.id, event: item.event, at: item.at, ...late };
    const error = await channel.send(alert, ctx.timeoutMs);
    if (error) {
      const left = queue.slice(i);
      const failures = (retry?.failures ?? 0) + 1;
      const nextAttemptAt = nextAttempt(failures, now, ctx.limits);
      const safe = redactDeep(error, secrets);
      return {
        left,
        retry: { label: channel.label, failures, nextAttemptAt, error: safe },
        event: failed(error, item, left),
      };
    }
  }
  return { left: [], retry: null, event: null };
}

function droppedEvents(
  dropped: Partial<Record<DropReason, number>>,
  total: number,
): WatchdogEvent[] {
  return (Object.entries(dropped) as [DropReason, number][])
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ level: 'warn', event: 'notify_dropped', reason, count, total }));
}
