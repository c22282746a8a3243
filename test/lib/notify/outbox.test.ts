import { describe, expect, it } from 'vitest';
import type { Alert, Channel } from '../../../src/lib/notify/channel.js';
import { bound, expire, nextAttempt } from '../../../src/lib/notify/outbox.js';
import { deliver } from '../../../src/lib/notify/send.js';
import type { WatchdogEvent } from '../../../src/lib/store/event-types.js';
import { emptyOutbox, type Outbox } from '../../../src/lib/store/outbox.js';

const limits = { max: 10, maxAgeMs: 3_600_000, retryDelayMs: 30_000, retryMaxDelayMs: 900_000 };
const down: WatchdogEvent = { level: 'error', event: 'gateway_down', reason: 'x' };
const restart: WatchdogEvent = {
  level: 'info',
  event: 'gateway_restart',
  reason: 'crashed',
  method: 'command',
  pid: 1,
};
const recovered: WatchdogEvent = { level: 'info', event: 'gateway_recovered', downtimeSec: 3 };

/** A channel in memory: answers with what `answers` says next (null: delivered). */
function channel(key: string, answers: (string | null)[] = []) {
  const sent: Alert[] = [];
  const c: Channel & { sent: Alert[] } = {
    kind: 'test',
    key,
    label: `test ${key}`,
    wants: () => true,
    send: (alert) => {
      sent.push(alert);
      return Promise.resolve(answers.length ? answers.shift()! : null);
    },
    sent,
  };
  return c;
}
const ctx = (now: number) => ({ timeoutMs: 100, now, limits });

describe('outbox policy', () => {
  it('expire drops what is too old or whose channel is gone, counting both; retries of empty channels go', () => {
    const ob: Outbox = {
      ...emptyOutbox(),
      alerts: [
        { id: '1', channel: 'a', event: down, at: 0, queuedAt: 0 },
        { id: '2', channel: 'a', event: down, at: 5000, queuedAt: 5000 },
        { id: '3', channel: 'gone', event: down, at: 5000, queuedAt: 5000 },
      ],
      retry: { gone: { label: 'x', failures: 1, nextAttemptAt: 0, error: 'e' } },
      dropped: 2,
    };
    const r = expire(ob, new Set(['a']), 4001, 4000);
    expect(r.outbox.alerts.map((a) => a.id)).toEqual(['2']);
    expect(r.dropped).toEqual({ expired: 1, unconfigured: 1 });
    expect(r.outbox.dropped).toBe(4);
    expect(r.outbox.retry).toEqual({});
  });

  it('bound keeps the newest; retry delays double up to their cap', () => {
    const alerts = [3, 1, 2].map((t) => ({
      id: String(t),
      channel: 'a',
      event: down,
      at: t,
      queuedAt: t,
    }));
    const r = bound({ ...emptyOutbox(), alerts }, 2);
    expect(r.outbox.alerts.map((a) => a.id)).toEqual(['3', '2']);
    expect(r.dropped).toBe(1);
    expect([1, 2, 3, 10].map((f) => nextAttempt(f, 0, limits))).toEqual([
      30_000, 60_000, 120_000, 900_000,
    ]);
  });
});

describe('deliver', () => {
  it('a failing channel stops at its first failure and keeps the rest in order; the others get everything', async () => {
    const bad = channel('bad', ['HTTP 500']);
    const good = channel('good');
    const r = await deliver([bad, good], [down, restart, recovered], emptyOutbox(), ctx(1000));
    expect(bad.sent.map((a) => a.event.event)).toEqual(['gateway_down']);
    expect(good.sent.map((a) => a.event.event)).toEqual([
      'gateway_down',
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect(good.sent.map((a) => a.id)).toEqual(r.outbox.alerts.map((a) => a.id)); // same ids
    expect(good.sent.every((a) => a.late === undefined)).toBe(true);
    expect(r.outbox.alerts.map((a) => a.event.event)).toEqual([
      'gateway_down',
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect(r.outbox.retry.bad).toMatchObject({ failures: 1, nextAttemptAt: 31_000 });
    expect(r.events).toEqual([
      {
        level: 'warn',
        event: 'notify_failed',
        channel: 'test bad',
        about: 'gateway_down',
        error: 'HTTP 500',
        queued: 3,
      },
    ]);
  });

  it('backing off: new alerts wait behind the old, untried; when due, old ones go first, marked late', async () => {
    const first = await deliver([channel('c', ['ECONNREFUSED'])], [down], emptyOutbox(), ctx(0));
    const waiting = channel('c');
    const early = await deliver([waiting], [restart], first.outbox, ctx(10_000));
    expect(waiting.sent).toEqual([]);
    expect(early.outbox.alerts.map((a) => a.event.event)).toEqual([
      'gateway_down',
      'gateway_restart',
    ]);
    expect(early.events[0]).toMatchObject({
      about: 'gateway_restart',
      error: 'not tried before 1970-01-01T00:00:30.000Z (last: ECONNREFUSED)',
      queued: 2,
    });
    const again = channel('c', ['ECONNREFUSED']);
    const second = await deliver([again], [], early.outbox, ctx(30_000));
    expect(again.sent).toHaveLength(1);
    expect(second.outbox.retry.c).toMatchObject({ failures: 2, nextAttemptAt: 90_000 });
    const back = channel('c');
    const done = await deliver([back], [recovered], second.outbox, ctx(90_000));
    expect(back.sent.map((a) => [a.event.event, a.late?.sentAt ?? null])).toEqual([
      ['gateway_down', 90_000],
      ['gateway_restart', 90_000],
      ['gateway_recovered', null],
    ]);
    expect(back.sent[0]!.at).toBe(0);
    expect(done.outbox).toEqual({ ...emptyOutbox(), dropped: 0 });
    expect(done.events).toEqual([]);
  });

  it('full: the oldest go, one notify_dropped with the running total', async () => {
    const small = { ...limits, max: 2 };
    const r = await deliver(
      [channel('c', ['HTTP 500'])],
      [down, restart, recovered],
      emptyOutbox(),
      {
        ...ctx(0),
        limits: small,
      },
    );
    expect(r.outbox.alerts.map((a) => a.event.event)).toEqual([
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect(r.events[1]).toEqual({
      level: 'warn',
      event: 'notify_dropped',
      reason: 'full',
      count: 1,
      total: 1,
    });
  });
});
