import { randomUUID } from 'node:crypto';
import type { WatchdogEvent } from '../store/events.js';
import type { ChannelRetry, Outbox, Queued } from '../store/outbox.js';
import { redactDeep } from '../redact.js';
import { iso } from '../units.js';
import type { Alert, Channel } from './channel-types.js';
import { bound, due, expire, nextAttempt, type DropReason, type OutboxLimits } from './outbox.js';

/** However short a channel's timeout, its share of the notify phase is at least this long. */
export const NOTIFY_BUDGET_MIN_MS = 5000;
/** A send is not started with less than this left of the budget (the shortest timeout allowed). */
const MIN_SEND_MS = 100;

export interface SendContext {
  timeoutMs: number;
  now: number;
  /** Elapsed-time clock (ms) the budget is measured on; a test injects one. Default: performance.now. */
  clock?: () => number;
  secrets?: string[];
  limits: OutboxLimits;
  /** Queued alerts the outbox file held that this build cannot read (dropped on load): counted. */
  unreadable?: number;
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
  /** Alerts this build could not format: dropped. */
  unreadable: number;
}

/**
 * Delivers this check's alerts and the outbox's, all channels in parallel, each channel's in
 * order: first what waits for it (marked late), then what is new. A channel stops at its first
 * failure (one request of `timeoutMs`, however much waits), and what is left waits in the outbox
 * for a later check, after a backoff. Each channel has a budget for the whole phase (the check
 * holds its lock meanwhile): max(its timeout, NOTIFY_BUDGET_MIN_MS). Every send gets what is left
 * of it at most; what the budget leaves unsent stays queued, in order, for the next check, and is
 * no failure of the channel (no backoff, no notify_failed): neither is a send the budget cut short. Returns the new outbox and the events to log:
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
  const unreadable = results.reduce((n, r) => n + r.unreadable, 0);
  const alertsLeft = results.flatMap((r) => r.left);
  const next = { ...outbox, alerts: alertsLeft, retry, dropped: outbox.dropped + unreadable };
  const bounded = bound(next, limits.max);
  const dropped = {
    ...expired.dropped,
    full: bounded.dropped,
    unreadable: (ctx.unreadable ?? 0) + unreadable,
  };
  return {
    outbox: bounded.outbox,
    events: [
      ...results.flatMap((r) => (r.event ? [r.event] : [])),
      ...droppedEvents(dropped, bounded.outbox.dropped),
    ],
  };
}

/** The channel's share of the notify phase (ms). */
export function channelBudget(channel: Channel, timeoutMs: number): number {
  return Math.max(channel.timeoutMs ?? timeoutMs, NOTIFY_BUDGET_MIN_MS);
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
  const clock = ctx.clock ?? (() => performance.now());
  const own = channel.timeoutMs ?? ctx.timeoutMs;
  const deadline = clock() + channelBudget(channel, ctx.timeoutMs);
  const queue: Queued[] = [
    ...waiting,
    ...fresh.map((a) => ({ ...a, channel: channel.key, queuedAt: now })),
  ];
  if (!queue.length) return { left: [], retry: null, event: null, unreadable: 0 };
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
    return { left: queue, retry: r, event, unreadable: 0 };
  }
  let unreadable = 0;
  const waitFor = (
    from: number,
    event: WatchdogEvent | null = null,
    r: ChannelRetry | null = null,
  ) => ({
    left: queue.slice(from),
    retry: r,
    event,
    unreadable,
  });
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i]!;
    const left = Math.floor(deadline - clock());
    // out of time: the rest waits, in order, for the next check (not a failure: no backoff)
    if (left < Math.min(own, MIN_SEND_MS)) return waitFor(i);
    const timeoutMs = Math.min(own, left);
    const late = item.queuedAt < now ? { late: { sentAt: now } } : {};
    const alert: Alert = { id: item.id, event: item.event, at: item.at, ...late };
    let error: string | null;
    try {
      error = await channel.send(alert, timeoutMs);
    } catch {
      // an alert this build cannot format (a queued event of another version): dropped, counted
      unreadable++;
      continue;
    }
    if (!error) continue;
    // a send the budget cut short is no verdict on the channel: it waits for the next check
    if (timeoutMs < own && clock() >= deadline) return waitFor(i);
    const failures = (retry?.failures ?? 0) + 1;
    const nextAttemptAt = nextAttempt(failures, now, ctx.limits);
    const safe = redactDeep(error, secrets);
    const r = { label: channel.label, failures, nextAttemptAt, error: safe };
    return waitFor(i, failed(error, item, queue.slice(i)), r);
  }
  return waitFor(queue.length);
}

function droppedEvents(
  dropped: Partial<Record<DropReason, number>>,
  total: number,
): WatchdogEvent[] {
  return (Object.entries(dropped) as [DropReason, number][])
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ level: 'warn', event: 'notify_dropped', reason, count, total }));
}
