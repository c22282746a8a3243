import type { ChannelRetry, Outbox, Queued } from '../store/outbox.js';

/** What bounds the outbox and paces its retries (notify.* settings, in ms). */
export interface OutboxLimits {
  max: number;
  maxAgeMs: number;
  retryDelayMs: number;
  retryMaxDelayMs: number;
}

/** Why alerts were dropped; `unreadable`: a queued alert this build cannot read or format. */
export type DropReason = 'full' | 'expired' | 'unconfigured' | 'unreadable';

/** Drops alerts that may wait no more: their channel is gone, or they are older than maxAge. Pure. */
export function expire(
  outbox: Outbox,
  channels: ReadonlySet<string>,
  now: number,
  maxAgeMs: number,
): { outbox: Outbox; dropped: Partial<Record<DropReason, number>> } {
  const dropped: Partial<Record<DropReason, number>> = {};
  const alerts = outbox.alerts.filter((a) => {
    const reason = !channels.has(a.channel)
      ? 'unconfigured'
      : now - a.at > maxAgeMs
        ? 'expired'
        : null;
    if (reason) dropped[reason] = (dropped[reason] ?? 0) + 1;
    return reason === null;
  });
  return { outbox: withAlerts(outbox, alerts), dropped };
}

/** Keeps at most `max` alerts: the oldest queued go first. Pure. */
export function bound(outbox: Outbox, max: number): { outbox: Outbox; dropped: number } {
  const excess = outbox.alerts.length - max;
  if (excess <= 0) return { outbox, dropped: 0 };
  const oldest = new Set(
    outbox.alerts
      .map((a, i) => ({ a, i }))
      .sort((x, y) => x.a.queuedAt - y.a.queuedAt || x.i - y.i)
      .slice(0, excess)
      .map(({ i }) => i),
  );
  const alerts = outbox.alerts.filter((_, i) => !oldest.has(i));
  return { outbox: withAlerts(outbox, alerts), dropped: excess };
}

/** The outbox with these alerts, counting what went; retries of channels with none left go. */
function withAlerts(outbox: Outbox, alerts: Queued[]): Outbox {
  const keys = new Set(alerts.map((a) => a.channel));
  const retry = Object.fromEntries(Object.entries(outbox.retry).filter(([k]) => keys.has(k)));
  const dropped = outbox.dropped + outbox.alerts.length - alerts.length;
  return { ...outbox, alerts, retry, dropped };
}

/** A channel may be tried when it never failed or its retry time has come. */
export const due = (retry: ChannelRetry | undefined, now: number): boolean =>
  !retry || now >= retry.nextAttemptAt;

/** The retry after the `failures`-th failure in a row: the delay doubles, up to its cap. */
export function nextAttempt(failures: number, now: number, limits: OutboxLimits): number {
  const delay = limits.retryDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  return now + Math.min(delay, limits.retryMaxDelayMs);
}
