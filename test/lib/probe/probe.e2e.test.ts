import { join } from 'node:path';
import type { Server } from 'node:net';
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { warnings } from '../../helpers/gateway-log.js';
import { probeGateway } from '../../../src/lib/probe/index.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';
import { accepts, answers, blackHole, freePort } from '../../helpers/net.js';
import { killTracked, startFakeGateway, waitFor } from '../../helpers/processes.js';

const closers: (() => void)[] = [];
afterEach(() => {
  killTracked();
  removeTempDirs();
  for (const close of closers.splice(0)) close();
});

async function gateway(args: string[]): Promise<number> {
  const port = await freePort();
  startFakeGateway(['--port', String(port), ...args]);
  return port;
}
const probe = (port: number, timeoutMs = 1500, deep?: { token: string | null; version: string }) =>
  probeGateway({ host: '127.0.0.1', port, timeoutMs, ...(deep ? { deep } : {}) });

/** A probe with the gateway's auth: it finishes the handshake after the challenge. */
const probeWithAuth = (port: number, token: string | null, mode: string) =>
  probeGateway({ host: '127.0.0.1', port, timeoutMs: 1500, auth: { token, mode } });

describe('probe against real sockets', () => {
  it('healthy gateway: healthy, with each step timed', async () => {
    const port = await gateway([]);
    await waitFor(() => answers(port), { what: 'fake gateway' });
    const r = await probe(port);
    expect(r.verdict).toBe('healthy');
    expect(r.startup).toBe('started');
    expect(r.ready).toBe(true);
    expect(r.steps.ws).toMatchObject({ upgraded: true, challenge: true });
    expect(r.steps.healthz?.ms).toBeGreaterThanOrEqual(0);
  });

  it('slow start: refused before it listens, starting until ready, then healthy', async () => {
    const port = await gateway(['--listen-after', '600', '--ready-after', '1800']);
    expect((await probe(port)).verdict).toBe('refused');
    await waitFor(() => answers(port), { what: 'listening' });
    expect((await probe(port)).verdict).toBe('starting');
    await waitFor(async () => (await probe(port)).verdict === 'healthy', {
      what: 'healthy',
      timeoutMs: 10_000,
    });
  });

  it('hung gateway (blocked event loop): unresponsive within the budget', async () => {
    const port = await gateway(['--hang-after', '300']);
    // Listening (the kernel accepts) and no HTTP answer: hung, however late the test looks (the
    // loop may block before any look saw it answer, on a loaded machine).
    await waitFor(async () => (await accepts(port)) && !(await answers(port)), { what: 'hang' });
    const started = Date.now();
    const r = await probe(port, 800);
    expect(r.verdict).toBe('unresponsive');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('crashed gateway: refused', async () => {
    const port = await gateway(['--crash-after', '200']);
    await waitFor(async () => (await probe(port, 500)).verdict === 'refused', { what: 'crash' });
  });

  it('WS-only (older gateway without HTTP probes): healthy from the challenge', async () => {
    const port = await gateway(['--ws-only']);
    await waitFor(() => answers(port), { what: 'listening' });
    const r = await probe(port);
    expect(r).toMatchObject({ verdict: 'healthy', startup: null, reason: 'WebSocket challenge' });
  });

  it('--deep with the token: connect, hello-ok, health with channel states', async () => {
    const port = await gateway(['--token', 'sekret']);
    await waitFor(() => answers(port), { what: 'listening' });
    const r = await probe(port, 2000, { token: 'sekret', version: '0.0.0' });
    expect(r.steps.deep).toMatchObject({ ok: true, version: '2026.9.6' });
    expect(r.steps.deep?.channels).toEqual([
      { id: 'telegram', running: true, connected: true, state: 'healthy', lastError: null },
    ]);
    const wrong = await probe(port, 2000, { token: 'nope', version: '0.0.0' });
    expect(wrong.steps.deep).toMatchObject({ ok: false, code: 'AUTH_TOKEN_MISMATCH' });
    expect(wrong.verdict).toBe('healthy');
  });

  it('--deep while starting: UNAVAILABLE means starting', async () => {
    const port = await gateway(['--ready-after', '60000', '--ws-only']);
    await waitFor(() => answers(port), { what: 'listening' });
    const r = await probe(port, 2000, { token: 't', version: '0.0.0' });
    expect(r.verdict).toBe('starting');
    expect(r.steps.deep?.code).toBe('UNAVAILABLE');
  });

  it('nothing listening: refused', async () => {
    expect((await probe(await freePort())).verdict).toBe('refused');
  });

  it('a plain HTTP server that is not OpenClaw: not-openclaw', async () => {
    const port = await freePort();
    const server = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const r = await probe(port);
    expect(r.verdict).toBe('not-openclaw');
  });

  it('a server that accepts TCP and never answers: unresponsive, and the probe keeps its budget', async () => {
    const port = await freePort();
    const server: Server = await blackHole(port);
    closers.push(() => server.close());
    const started = Date.now();
    const r = await probe(port, 700);
    expect(r.verdict).toBe('unresponsive');
    expect(Date.now() - started).toBeLessThan(3000);
    // No socket of ours is left open: the black hole sees every connection closed.
    await waitFor(
      () => new Promise<boolean>((resolve) => server.getConnections((_e, n) => resolve(n === 0))),
      { what: 'all probe sockets closed', timeoutMs: 3000 },
    );
  });
});

describe('the probe is quiet in the gateway log', () => {
  async function loggingGateway(flags: string[] = []) {
    const log = join(tempDir(), 'gateway.jsonl');
    const port = await gateway(['--log-file', log, ...flags]);
    await waitFor(() => answers(port), { what: 'listening' });
    /**
     * Waits until one more probe without auth, which the gateway logs as a warning, shows up:
     * the log is in order, so everything the probes before it caused is in the log by then.
     */
    const settle = async () => {
      const before = warnings(log).length;
      await probe(port);
      await waitFor(() => warnings(log).length > before, { what: 'the control warning' });
      return warnings(log);
    };
    return { port, log, settle };
  }

  it('with the token: connect → hello-ok after the challenge, then close; no warning logged', async () => {
    const g = await loggingGateway(['--token', 'sekret']);
    for (let i = 0; i < 3; i++) {
      const r = await probeWithAuth(g.port, 'sekret', 'token');
      expect(r.verdict).toBe('healthy');
      expect(r.steps.ws).toMatchObject({ challenge: true, connect: 'hello-ok' });
    }
    // Only the control probe (closed after the challenge, as before) left a warning.
    const logged = await g.settle();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^closed before connect /);
  });

  it('auth mode none, no token: connect without auth; no warning logged', async () => {
    const g = await loggingGateway();
    const r = await probeWithAuth(g.port, null, 'none');
    expect(r.steps.ws?.connect).toBe('hello-ok');
    expect(await g.settle()).toHaveLength(1);
  });

  it('a wrong token: still healthy (the challenge came), the rejection is reported', async () => {
    const g = await loggingGateway(['--token', 'sekret']);
    const r = await probeWithAuth(g.port, 'wrong', 'token');
    expect(r.verdict).toBe('healthy');
    expect(r.steps.ws).toMatchObject({ challenge: true, connect: 'AUTH_TOKEN_MISMATCH' });
  });

  it('connect answered "gateway starting": starting, and not logged as a warning', async () => {
    const g = await loggingGateway(['--ready-after', '60000', '--ws-only']);
    const r = await probeWithAuth(g.port, null, 'none');
    expect(r.verdict).toBe('starting');
    expect(r.steps.ws?.connect).toBe('UNAVAILABLE');
    expect(await g.settle()).toHaveLength(1);
  });
});
