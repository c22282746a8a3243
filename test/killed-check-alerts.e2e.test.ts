import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { startCli } from './helpers/cli.js';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/processes.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';
import { closeReceivers, receiver } from './helpers/receiver.js';

// Review of issue 24's "a check ended by SIGTERM/SIGINT queues its unsent alerts" (6bb23c5):
// the outbox path must neither lose an alert nor queue one twice.

const silent: { server: Server; sockets: Set<Socket> }[] = [];

/** A webhook endpoint that accepts connections and reads the request, but never answers (a slow
 * network, a hung receiver): the check's alert is never confirmed. */
async function silentEndpoint(): Promise<{ port: number; seen: () => boolean; close(): void }> {
  const sockets = new Set<Socket>();
  let data = false;
  const server = createServer((s) => {
    sockets.add(s);
    s.on('data', () => (data = true));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  silent.push({ server, sockets });
  const { port } = server.address() as { port: number };
  return {
    port,
    seen: () => data,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

afterEach(async () => {
  for (const { server, sockets } of silent.splice(0)) {
    for (const s of sockets) s.destroy();
    server.close();
  }
  await closeReceivers();
  await cleanUp();
});

function runCheck(h: Home) {
  return startCli(['check'], h.env);
}

const outboxEvents = (h: Home): string[] => {
  const file = join(h.dir, 'outbox.json');
  if (!existsSync(file)) return [];
  const box = JSON.parse(readFileSync(file, 'utf8')) as { alerts: { event: { event: string } }[] };
  return box.alerts.map((a) => a.event.event);
};

describe('a check ended by a signal: its alerts (review of issue 24)', () => {
  it('SIGTERM while the final record sends its alerts: the unconfirmed alert is queued, and the next check sends it', async () => {
    const endpoint = await silentEndpoint();
    const url = `http://127.0.0.1:${endpoint.port}/hook`;
    const h = await makeHome();
    // Down, restarted, healthy at once: the check reaches its final record and sends gateway_down.
    h.configure({
      ...withFakeRestart(h.port),
      lock: { staleSec: 30 },
      notify: { webhooks: [{ url, format: 'json' }], timeoutMs: 30_000 },
    });
    const run = runCheck(h);
    await waitFor(() => endpoint.seen(), { what: 'the alert sent', timeoutMs: 30_000 });
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 1, signal: null });
    // The alert was never confirmed: it must wait in the outbox (as a timed-out send does).
    expect(outboxEvents(h)).toContain('gateway_down');
    // The same endpoint answering now: the next check delivers it.
    endpoint.close();
    const hook = await receiver('ok', endpoint.port);
    await h.check();
    const sent = hook.requests.map((q) => (q.body as { event: string }).event);
    expect(sent).toContain('gateway_down');
  });

  it('two signals in a row (Ctrl-C, then a wrapper SIGTERM): each alert is queued once', async () => {
    const hook = await receiver('ok');
    const h = await makeHome();
    const settings = withFakeRestart(h.port, ['--listen-after', '600000', '--print', 'booting']);
    h.configure({
      ...settings,
      lock: { staleSec: 30 },
      restart: { ...settings.restart, verifyTimeoutSec: 30 },
      notify: { webhooks: [{ url: hook.url, format: 'json' }] },
    });
    const run = runCheck(h);
    const log = join(h.dir, 'gateway.log');
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('booting'), {
      what: 'the gateway started',
    });
    // Two different signals (the kernel merges two pending SIGINTs into one).
    run.child.kill('SIGINT');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(1);
    expect(outboxEvents(h)).toEqual(['gateway_down', 'gateway_restart']);
    await h.check();
    const sent = hook.requests.map((q) => (q.body as { event: string }).event);
    expect(sent).toEqual(['gateway_down', 'gateway_restart']);
  });
});

describe('a check ended by a signal: its counters (review of 6e848db)', () => {
  it('SIGTERM while the final record sends the alert of a start that failed at once: the gateway_restart it logged is counted', async () => {
    const endpoint = await silentEndpoint();
    const url = `http://127.0.0.1:${endpoint.port}/hook`;
    const h = await makeHome();
    // No start possible at once (openclaw not found): no journal write before the final record,
    // which logs gateway_restart and restart_failed, then sends the alerts (never confirmed here).
    h.configure({
      ...FAST,
      lock: { staleSec: 30 },
      restart: { openclaw: join(h.dir, 'no-such-openclaw') },
      notify: { webhooks: [{ url, format: 'json' }], timeoutMs: 30_000 },
    });
    const run = runCheck(h);
    await waitFor(() => endpoint.seen(), { what: 'the alert sent', timeoutMs: 30_000 });
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 1, signal: null });
    const logged = h.eventNames().filter((e) => e === 'gateway_restart');
    expect(logged).toHaveLength(1);
    // Logged, so counted (the metrics' restarts_total): old code counted only after the sends.
    const counters = join(h.dir, 'counters.json');
    expect(existsSync(counters)).toBe(true);
    const counted = JSON.parse(readFileSync(counters, 'utf8')) as { restarts: unknown };
    expect(counted.restarts).toEqual({ crashed: 1 });
  });
});
