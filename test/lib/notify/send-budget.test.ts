import { describe, expect, it } from 'vitest';
import type { Alert, Channel } from '../../../src/lib/notify/channel.js';
import { deliver, NOTIFY_BUDGET_MIN_MS } from '../../../src/lib/notify/send.js';
import type { WatchdogEvent } from '../../../src/lib/store/event-types.js';
import { emptyOutbox, type Outbox, type Queued } from '../../../src/lib/store/outbox.js';

const limits = { max: 100, maxAgeMs: 3_600_000, retryDelayMs: 30_000, retryMaxDelayMs: 900_000 };
const NOW = Date.UTC(2026, 10, 26, 3);

/**
 * A channel on a clock the test owns: every send takes `costMs` of it (a receiver that answers
 * slowly), then answers with `answer(timeoutMs)`. Records the timeout each send was given.
 */
function slowChannel(
  key: string,
  clock: { t: number },
  costMs: (timeoutMs: number) => number,
  answer: (timeoutMs: number) => string | null = () => null,
  own?: number,
) {
  const sent: { alert: Alert; timeoutMs: number }[] = [];
  const c: Channel & { sent: typeof sent } = {
    kind: 'test',
    key,
    label: `test ${key}`,
    wants: () => true,
    ...(own === undefined ? {} : { timeoutMs: own }),
    send: (alert, timeoutMs) => {
      sent.push({ alert, timeoutMs });
      clock.t += costMs(timeoutMs);
      return Promise.resolve(answer(timeoutMs));
    },
    sent,
  };
  return c;
}

const queued = (channel: string, n: number): Queued[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    channel,
    event: { level: 'error', event: 'gateway_down', reason: `r${i}` } as WatchdogEvent,
    at: NOW - 60_000 + i,
    queuedAt: NOW - 60_000,
  }));
const outboxOf = (alerts: Queued[]): Outbox => ({ ...emptyOutbox(), alerts });

describe('the notify phase has a time budget (the check holds its lock meanwhile)', () => {
  it('30 queued alerts, a receiver that takes 900 ms each: the budget sends what fits, the rest waits, in order, no failure', async () => {
    const clock = { t: 0 };
    const c = slowChannel('a', clock, () => 900);
    const ctx = { timeoutMs: 1000, now: NOW, limits, clock: () => clock.t };
    const r = await deliver([c], [], outboxOf(queued('a', 30)), ctx);
    // max(1000, 5000) ms of budget: 6 sends start within it, none after
    expect(clock.t).toBeLessThanOrEqual(NOTIFY_BUDGET_MIN_MS + 1000);
    expect(c.sent.map((s) => s.alert.id)).toEqual(['id0', 'id1', 'id2', 'id3', 'id4', 'id5']);
    expect(r.outbox.alerts.map((a) => a.id)).toEqual(
      queued('a', 30)
        .slice(6)
        .map((a) => a.id),
    );
    expect(r.outbox.retry).toEqual({}); // not a failure: no backoff, the next check carries on
    expect(r.events).toEqual([]);
  });

  it('each send gets at most what is left of the budget; one the budget cut short is no failure', async () => {
    const clock = { t: 0 };
    // a receiver that never answers: every send uses its whole timeout, then fails
    const c = slowChannel(
      'a',
      clock,
      (t) => t,
      (t) => `no answer within ${t} ms`,
      3000,
    );
    const ctx = { timeoutMs: 1000, now: NOW, limits, clock: () => clock.t };
    // fresh alerts: the first send hangs 3000 ms and fails → the channel's failure, one request
    const r1 = await deliver([c], [], outboxOf(queued('a', 3)), ctx);
    expect(c.sent.map((s) => s.timeoutMs)).toEqual([3000]);
    expect(r1.outbox.retry.a).toMatchObject({ failures: 1 });

    // a receiver that answers in 2000 ms, then hangs: 2000 + min(3000, 3000) = 5000 ms
    const clock2 = { t: 0 };
    let n = 0;
    const d = slowChannel(
      'b',
      clock2,
      (t) => (n++ === 0 ? 2000 : t),
      (t) => (n === 1 ? null : `no answer within ${t} ms`),
      3000,
    );
    const r2 = await deliver([d], [], outboxOf(queued('b', 3)), {
      ...ctx,
      clock: () => clock2.t,
    });
    expect(d.sent.map((s) => s.timeoutMs)).toEqual([3000, 3000]); // budget max(3000, 5000)
    expect(r2.outbox.retry.b).toMatchObject({ failures: 1 }); // a full timeout: a real failure

    const clock3 = { t: 0 };
    let m = 0;
    const e = slowChannel(
      'c',
      clock3,
      (t) => (m++ === 0 ? 3500 : t),
      (t) => (m === 1 ? null : `no answer within ${t} ms`),
      3000,
    );
    const r3 = await deliver([e], [], outboxOf(queued('c', 3)), {
      ...ctx,
      clock: () => clock3.t,
    });
    expect(e.sent.map((s) => s.timeoutMs)).toEqual([3000, 1500]); // what was left
    expect(r3.outbox.retry).toEqual({}); // cut short by the budget: not the channel's failure
    expect(r3.events).toEqual([]);
    expect(r3.outbox.alerts.map((a) => a.id)).toEqual(['id1', 'id2']);
  });

  it('an alert a channel cannot format is dropped and counted (unreadable); the rest still go', async () => {
    const clock = { t: 0 };
    const sent: string[] = [];
    const c: Channel = {
      kind: 'test',
      key: 'a',
      label: 'test a',
      wants: () => true,
      send: (alert) => {
        if (alert.id === 'id1')
          throw new TypeError("Cannot read properties of undefined (reading 'map')");
        sent.push(alert.id);
        return Promise.resolve(null);
      },
    };
    const ctx = { timeoutMs: 1000, now: NOW, limits, clock: () => clock.t, unreadable: 1 };
    const r = await deliver([c], [], { ...outboxOf(queued('a', 3)), dropped: 5 }, ctx);
    expect(sent).toEqual(['id0', 'id2']);
    expect(r.outbox.alerts).toEqual([]);
    expect(r.outbox.dropped).toBe(6);
    expect(r.events).toEqual([
      { level: 'warn', event: 'notify_dropped', reason: 'unreadable', count: 2, total: 6 },
    ]);
  });
});
