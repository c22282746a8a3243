import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { removeTempDirs, tempDir } from './helpers/dirs.js';
import { channelKey } from '../src/lib/notify/key.js';
import { healthy } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { killTracked, startFakeGateway, waitFor } from './helpers/processes.js';
import { closeReceivers, receiver } from './helpers/receiver.js';
import { FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';

afterEach(async () => {
  killTracked();
  await closeReceivers();
  removeTempDirs();
});
type Body = {
  id: string;
  event: string;
  ts: string;
  late?: boolean;
  sentAt?: string;
  message: string;
};
const outboxOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'outbox.json'), 'utf8')) as {
    alerts: { id: string; event: { event: string } }[];
    dropped: number;
  };

describe('alerts survive a receiver that is down (the outbox)', () => {
  it('down during the incident, up later: gateway_down, gateway_restart, gateway_recovered arrive in order, once each, late, with their ids', async () => {
    const port = await freePort(); // nothing listens there yet: the receiver is down
    const url = `http://127.0.0.1:${port}/hook/secret-part`;
    const h = await makeHome();
    const notify = { webhooks: [{ url, format: 'json' }], retryDelaySec: 0 };
    h.configure(withFakeRestart(h.port, [], { notify }));
    expect((await h.check()).code).toBe(0);
    expect(await healthy(h.port)).toBe(true);
    const failed = h.events().filter((e) => e.event === 'notify_failed');
    expect(failed).toEqual([
      expect.objectContaining({ about: 'gateway_down', error: 'ECONNREFUSED', queued: 3 }),
    ]);
    expect(String(failed[0]!.channel)).toMatch(/^webhook json http:\/\/127\.0\.0\.1:\d+\/…$/);
    const file = join(h.dir, 'outbox.json');
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    const waiting = outboxOf(h.dir).alerts;
    const queued = waiting.map((a) => a.event.event);
    expect(queued).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
    expect(readFileSync(file, 'utf8')).not.toContain('secret-part');
    const status = await runCli(['status'], h.env);
    expect(status.stdout).toMatch(/^outbox +3 undelivered, oldest from .*ECONNREFUSED/m);
    const statusJson = await runCli(['status', '--json'], h.env);
    expect(JSON.parse(statusJson.stdout).outbox).toMatchObject({ alerts: 3, dropped: 0 });

    const hook = await receiver('ok', port); // the network is back
    expect((await h.check()).code).toBe(0);
    expect((await h.check()).code).toBe(0);
    const bodies = hook.requests.map((r) => r.body as Body);
    expect(bodies.map((b) => b.event)).toEqual([
      'gateway_down',
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect(bodies.map((b) => b.id)).toEqual(waiting.map((a) => a.id)); // the ids they were queued with
    expect(new Set(bodies.map((b) => b.id)).size).toBe(3);
    for (const [i, b] of bodies.entries()) {
      expect(hook.requests[i]!.headers!['idempotency-key']).toBe(b.id);
      expect(b.late).toBe(true);
      expect(Date.parse(b.sentAt!)).toBeGreaterThan(Date.parse(b.ts));
      expect(b.message).toContain(`(late: happened ${b.ts}, sent ${b.sentAt})`);
    }
    expect(outboxOf(h.dir).alerts).toEqual([]);
    expect((await runCli(['status'], h.env)).stdout).toMatch(/^outbox +empty$/m);
  });

  it('a receiver answering 500 forever: one request per check whatever waits, the outbox stays at its bound, the drop is counted', async () => {
    const hook = await receiver('fail');
    const h = await makeHome();
    const textfile = join(tempDir(), 'watchdog.prom');
    const notify = { webhooks: [{ url: hook.url }], retryDelaySec: 0, outboxMax: 2 };
    h.configure(withFakeRestart(h.port, [], { notify, metrics: { textfile } }));
    expect((await h.check()).code).toBe(0); // 3 alerts; the first fails; 2 kept, 1 dropped
    expect(hook.requests).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect((await h.check()).code).toBe(0);
    // each check tried the oldest once and stopped: never one request per queued alert
    expect(hook.requests).toHaveLength(4);
    const tried = hook.requests.map((r) => (r.body as Body).event);
    expect(tried).toEqual([
      'gateway_down',
      'gateway_restart',
      'gateway_restart',
      'gateway_restart',
    ]);
    expect(new Set(hook.requests.slice(1).map((r) => (r.body as Body).id)).size).toBe(1);
    const outbox = outboxOf(h.dir);
    expect(outbox.alerts.map((a) => a.event.event)).toEqual([
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect(outbox.dropped).toBe(1);
    const dropped = h.events().filter((e) => e.event === 'notify_dropped');
    expect(dropped).toEqual([
      expect.objectContaining({ level: 'warn', reason: 'full', count: 1, total: 1 }),
    ]);
    expect(h.events().filter((e) => e.event === 'notify_failed')).toHaveLength(4);
    const metrics = readFileSync(textfile, 'utf8');
    expect(metrics).toMatch(/^openclaw_watchdog_outbox_alerts{gateway="default"} 2$/m);
    expect(metrics).toMatch(/^openclaw_watchdog_alerts_dropped_total{gateway="default"} 1$/m);
    expect((await runCli(['status'], h.env)).stdout).toMatch(
      /^outbox +2 undelivered.*1 dropped.*HTTP 500/m,
    );
  });

  it('queued alerts this build cannot format (an unknown event, disk_low without filesystems) are dropped and counted; the check and the rest go on', async () => {
    const hook = await receiver('ok');
    const h = await makeHome();
    const textfile = join(tempDir(), 'watchdog.prom');
    h.configure({
      ...FAST,
      notify: { webhooks: [{ url: hook.url, format: 'json' }] },
      metrics: { textfile },
    });
    startFakeGateway(['--port', String(h.port)]);
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const channel = channelKey('webhook', hook.url, 'json');
    const at = Date.now() - 60_000;
    const entry = (id: string, event: object) => ({ id, channel, event, at, queuedAt: at });
    const alerts = [
      entry('future', { level: 'warn', event: 'gpu_melted', temp: 99 }),
      entry('torn', { level: 'warn', event: 'disk_low', largest: [] }),
      entry('good', { level: 'error', event: 'gateway_down', reason: 'was down' }),
    ];
    const file = join(h.dir, 'outbox.json');
    writeFileSync(file, JSON.stringify({ version: 1, alerts, retry: {}, dropped: 0 }), {
      mode: 0o600,
    });
    const r = await h.check();
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect(r.code).toBe(0);
    expect(hook.requests.map((q) => (q.body as Body).id)).toEqual(['good']);
    const dropped = h.events().filter((e) => e.event === 'notify_dropped');
    expect(dropped).toEqual([
      expect.objectContaining({ reason: 'unreadable', count: 2, total: 2 }),
    ]);
    expect(outboxOf(h.dir)).toMatchObject({ alerts: [], dropped: 2 });
    expect(readFileSync(textfile, 'utf8')).toMatch(
      /^openclaw_watchdog_alerts_dropped_total{gateway="default"} 2$/m,
    );
    expect((await h.check()).code).toBe(0); // and the next check is quiet: nothing sent twice
    expect(hook.requests).toHaveLength(1);
  });
});
