import { hostname } from 'node:os';
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { removeTempDirs } from './helpers/dirs.js';
import { healthy } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { killTracked, startFakeGateway, waitFor } from './helpers/processes.js';
import { type Receiver, closeReceivers, keepReceiver, receiver } from './helpers/receiver.js';
import { BAD_CONFIG_FLAGS, FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';

afterEach(async () => {
  killTracked();
  await closeReceivers();
  removeTempDirs();
});
const base = (r: Receiver) => new URL(r.url).origin;
const UUID = '5f0c2e7a-1111-4222-8333-944455556666';

describe('heartbeat: one ping per check to a real receiver', () => {
  it('healthchecks.io: <url> when the check finds it healthy, <url>/fail when a restart fixed it, <url>/<exit> when not, none on --dry-run', async () => {
    const hc = await receiver();
    const url = `${base(hc)}/ping/${UUID}`; // auto → healthchecks (its /ping/<uuid> path)
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { notify: { heartbeat: { url } } }));
    expect((await h.check(['--dry-run'])).code).toBe(1);
    expect(hc.requests).toEqual([]);
    expect((await h.check()).code).toBe(0); // down → restarted → healthy
    expect((await h.check()).code).toBe(0);
    expect(hc.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /ping/${UUID}/fail`, // it was down: an outage, though the restart fixed it
      `POST /ping/${UUID}`,
    ]);
    // names the host and the gateway: one ping URL per gateway, several gateways per host
    expect(String(hc.requests[0]!.body)).toMatch(
      new RegExp(`^openclaw-watchdog ${hostname()}/default:${h.port}: exit 0: `),
    );
    expect(await healthy(h.port)).toBe(true);
    await h.check(['--dry-run']);
    expect(hc.requests).toHaveLength(2);

    const h2 = await makeHome();
    h2.configure(withFakeRestart(h2.port, BAD_CONFIG_FLAGS, { notify: { heartbeat: { url } } }));
    expect((await h2.check()).code).toBe(1);
    expect(hc.requests[2]!.path).toBe(`/ping/${UUID}/1`);
    expect(String(hc.requests[2]!.body)).toMatch(/exit 1: .*restart/);
    expect(h2.eventNames()).not.toContain('heartbeat_failed');
  });

  it('healthchecks.io with start: /start when the check begins, then the result', async () => {
    const hc = await receiver();
    const h = await makeHome();
    const heartbeat = { url: `${base(hc)}/ping/${UUID}`, format: 'healthchecks', start: true };
    h.configure({ ...FAST, notify: { heartbeat } });
    startFakeGateway(['--port', String(h.port)]);
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toBe(''); // quiet under cron
    expect(hc.requests.map((q) => q.path)).toEqual([`/ping/${UUID}/start`, `/ping/${UUID}`]);
  });

  it('Uptime Kuma push: ?status=up|down&msg=…&ping=<probe ms>', async () => {
    const kuma = await receiver();
    const url = `${base(kuma)}/api/push/AbCdEf12?status=up&msg=OK&ping=`;
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, BAD_CONFIG_FLAGS, { notify: { heartbeat: { url } } }));
    expect((await h.check()).code).toBe(1);
    h.configure({ ...FAST, notify: { heartbeat: { url, format: 'uptime-kuma' } } });
    startFakeGateway(['--port', String(h.port)]);
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    const [down, up] = kuma.requests.map((r) => new URL(r.path, 'http://x'));
    expect(kuma.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(down!.pathname).toBe('/api/push/AbCdEf12');
    expect(down!.searchParams.get('status')).toBe('down');
    expect(down!.searchParams.get('msg')).toMatch(new RegExp(`^${hostname()}/default: exit 1: `));
    expect(up!.searchParams.get('status')).toBe('up');
    expect(up!.searchParams.get('ping')).toMatch(/^\d+$/);
    expect(up!.searchParams.getAll('status')).toHaveLength(1); // replaced, not appended
  });

  it('generic JSON; while paused a "paused" ping; a dead receiver is a heartbeat_failed line, the URL never logged', async () => {
    const hook = await receiver();
    const h = await makeHome();
    h.configure({ ...FAST, notify: { heartbeat: { url: hook.url } } });
    expect((await runCli(['pause', '--for', '10m'], h.env)).code).toBe(0);
    expect((await h.check()).code).toBe(1); // nothing listens, paused: no restart
    expect(hook.requests[0]!.body).toMatchObject({ status: 'paused', exitCode: 1, port: h.port });

    const dead = `http://127.0.0.1:${await freePort()}/hb/secret-part`;
    h.configure({ ...FAST, notify: { heartbeat: { url: dead, timeoutMs: 500 } } });
    await h.check();
    const failed = h.events().find((e) => e.event === 'heartbeat_failed');
    expect(failed).toMatchObject({ level: 'warn', error: 'ECONNREFUSED' });
    expect(String(failed!.target)).toMatch(/^heartbeat json http:\/\/127\.0\.0\.1:\d+\/…$/);
    expect(JSON.stringify(h.events())).not.toContain('secret-part');
  });

  it('the heartbeat holds the check no longer than its own timeout: an unanswered /start is not waited out before the end ping', async () => {
    // /start is accepted and never answered; the end ping is answered at once
    let startOpen = false;
    const seen: { path: string; startOpen: boolean }[] = [];
    const server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', startOpen });
      if (req.url?.endsWith('/start')) {
        startOpen = true;
        req.socket.once('close', () => (startOpen = false));
        return;
      }
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    keepReceiver({
      url: '',
      requests: [],
      close: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    });
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/ping/${UUID}`;
    const h = await makeHome();
    // 6 s: the end ping goes out half of it after the check at the latest, while /start (6 s
    // of its own) is still open; before, it waited for /start to time out first
    h.configure({ ...FAST, notify: { heartbeat: { url, start: true, timeoutMs: 6000 } } });
    startFakeGateway(['--port', String(h.port)]);
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    expect(seen).toEqual([
      { path: `/ping/${UUID}/start`, startOpen: false },
      { path: `/ping/${UUID}`, startOpen: true },
    ]);
  });
});
