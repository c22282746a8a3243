import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { healthy } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { CLI, makeOrphans, startFakeGateway, track, waitFor } from './helpers/processes.js';
import { FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';
import { join } from 'node:path';
import { cleanUp } from './helpers/teardown.js';

const require = createRequire(import.meta.url);
const parseProm = require('parse-prometheus-text-format') as (
  text: string,
) => { name: string; metrics: { value: string }[] }[];

afterEach(cleanUp);

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode!, body, type: String(res.headers['content-type']) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** `serve` on a free port, tracked; resolves once it answers /health (with that first answer). */
async function startServe(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const serve = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env,
    stdio: 'ignore',
  });
  const pid = track(serve.pid);
  const first = await waitFor(() => get(port, '/health').catch(() => null), { what: 'serve' });
  return { port, pid, first };
}

describe('status', () => {
  it('--json: saved state, a live probe, the pid on the port, current orphans, recent events; stdout holds only the JSON', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    expect((await h.check()).code).toBe(0);
    const [orphan] = await makeOrphans(['openclaw-message'], { env: h.own });
    const r = await runCli(['status', '--json'], h.env);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.gateway).toMatchObject({ healthy: true, state: 'healthy', port: h.port });
    expect(s.gateway.pid).toBeGreaterThan(0);
    expect(s.gateway.uptimeSec).toBeGreaterThanOrEqual(0);
    expect(s.gateway.probe.verdict).toBe('healthy');
    expect(s.restarts).toMatchObject({ total: 1, consecutive: 1 });
    expect(s.restarts.lastAt).toMatch(/Z$/);
    expect(s.orphans.count).toBe(1);
    expect(s.orphans.list[0]).toMatchObject({ pid: orphan, name: 'openclaw-message' });
    expect(s.orphans.rssBytes).toBeGreaterThan(0);
    expect(s.paused).toBeNull();
    expect(s.lastCheckAt).toMatch(/Z$/);
    expect(s.recentEvents.map((e: { event: string }) => e.event)).toEqual([
      'gateway_down',
      'gateway_restart',
      'gateway_recovered',
    ]);
  });

  it('the human view is a few lines; exit 1 when the gateway is down', async () => {
    const h = await makeHome(FAST);
    const r = await runCli(['status'], h.env);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^gateway\s+REFUSED\s+127\.0\.0\.1:\d+/);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      'gateway',
      'restarts',
      'orphans',
      'paused',
      'outbox',
      'disk',
      'channels',
      'checked',
    ]);
    expect(r.stdout).toMatch(/^outbox +empty$/m);
  });
});

describe('events', () => {
  it('prints the log one line each in local time, -n limits, --json gives raw lines', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    await h.check();
    const all = await runCli(['events'], h.env);
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}error {2}gateway_down {2}reason="nothing listens on the port"$/,
    );
    const last = await runCli(['events', '-n', '1', '--json'], h.env);
    expect(JSON.parse(last.stdout).event).toBe('gateway_recovered');
  });
});

describe('serve', () => {
  it('/health 200 while healthy, 503 after the gateway dies; /status JSON; /metrics Prometheus', async () => {
    const h = await makeHome(FAST);
    const gw = startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    await h.check();
    const { port, first } = await startServe(h.env);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ healthy: true, state: 'healthy' });
    const status = await get(port, '/status');
    expect(JSON.parse(status.body).gateway.port).toBe(h.port);
    const metrics = await get(port, '/metrics');
    expect(metrics.type).toContain('text/plain');
    const names = parseProm(metrics.body).map((f) => f.name);
    expect(names).toContain('openclaw_watchdog_gateway_up');
    expect(
      parseProm(metrics.body).find((f) => f.name === 'openclaw_watchdog_gateway_up')!.metrics[0]!
        .value,
    ).toBe('1');
    expect((await get(port, '/nope')).status).toBe(404);
    process.kill(gw.pid!, 'SIGKILL');
    const down = await waitFor(
      async () => {
        const r = await get(port, '/health');
        return r.status === 503 ? r : null;
      },
      { what: '503', timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(JSON.parse(down.body)).toMatchObject({ healthy: false, state: 'refused' });
  });

  it('binds loopback by default; a taken port is a one-line usage error', async () => {
    const h = await makeHome(FAST);
    const { port, pid } = await startServe(h.env);
    const { findPortOwner, listeningInodes } = await import('../src/lib/procs/port-owner.js');
    expect(findPortOwner(port).pid).toBe(pid);
    const { readFileSync } = await import('node:fs');
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    expect(readFileSync('/proc/net/tcp', 'utf8')).toContain(`0100007F:${hex}`);
    expect(listeningInodes(readFileSync('/proc/net/tcp', 'utf8'), port)).toHaveLength(1);
    const again = await runCli(['serve', '--port', String(port)], h.env, 10_000);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(
      `openclaw-watchdog: --port: cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
    );
  });
});

describe('metrics.textfile', () => {
  it('is written after every check and parses as Prometheus exposition', async () => {
    const h = await makeHome();
    const file = join(h.home, 'textfile', 'openclaw.prom');
    const { mkdirSync, readFileSync } = await import('node:fs');
    mkdirSync(join(h.home, 'textfile'));
    h.configure(withFakeRestart(h.port, [], { metrics: { textfile: file } }));
    expect((await h.check()).code).toBe(0);
    const families = Object.fromEntries(
      parseProm(readFileSync(file, 'utf8')).map((f) => [f.name, Number(f.metrics[0]!.value)]),
    );
    expect(families).toMatchObject({
      openclaw_watchdog_gateway_up: 1,
      openclaw_watchdog_restarts_total: 1,
      openclaw_watchdog_orphans_reaped_total: 0,
    });
    expect(families.openclaw_watchdog_last_check_timestamp_seconds).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
    expect(families.openclaw_watchdog_probe_duration_seconds).toBeGreaterThan(0);
  });
});

describe('serve: DNS rebinding and load', () => {
  it('answers only Host headers naming loopback or the listen address: a rebinding page gets 421', async () => {
    const h = await makeHome(FAST);
    const { port } = await startServe(h.env);
    for (const host of ['evil.example.com', `evil.example.com:${port}`, 'attacker.test'])
      for (const path of ['/status', '/health', '/metrics'])
        expect((await get(port, path, { host })).status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`])
      expect((await get(port, '/status', { host })).status).toBe(200);
  });

  it('/status is computed once per 5 s and shared: an event logged meanwhile shows only after the cache', async () => {
    const h = await makeHome(FAST);
    const { port } = await startServe(h.env);
    const burst = await Promise.all(Array.from({ length: 30 }, () => get(port, '/status')));
    expect(new Set(burst.map((r) => r.body)).size).toBe(1);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(
      join(h.dir, 'events.jsonl'),
      '{"ts":"2026-11-26T01:02:03.004Z","level":"info","event":"marker_event"}\n',
    );
    const cached = JSON.parse((await get(port, '/status')).body) as { recentEvents: unknown[] };
    expect(JSON.stringify(cached.recentEvents)).not.toContain('marker_event');
    const fresh = await waitFor(
      async () => {
        const r = await get(port, '/status');
        return r.body.includes('marker_event') ? r : null;
      },
      { what: 'a fresh /status', timeoutMs: 15_000, intervalMs: 500 },
    );
    expect(fresh.status).toBe(200);
  });

  it('the event tail reads only the end of the log (a 3 GiB sparse log still shows its last events)', async () => {
    const h = await makeHome(FAST);
    const { openSync, closeSync, ftruncateSync, appendFileSync } = await import('node:fs');
    const file = join(h.dir, 'events.jsonl');
    const fd = openSync(file, 'w', 0o600);
    ftruncateSync(fd, 3 * 1024 ** 3);
    closeSync(fd);
    appendFileSync(
      file,
      '\n{"ts":"2026-11-26T01:02:03.004Z","level":"info","event":"tail_event"}\n',
    );
    const r = await runCli(['events', '--json', '-n', '1'], h.env, 30_000);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ event: 'tail_event' });
  });
});
