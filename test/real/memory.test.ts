// Opt-in (npm run test:real): the memory ceiling against the real OpenClaw 2026.9.6 gateway. The
// ceiling is set under the real gateway's RSS: one graceful restart (gateway.restart.request, in
// place: same pid via SIGUSR2, or an exit 0 and a start), and no loop (the next checks defer
// under backoff). Figures go to stdout.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeGateway } from '../../src/lib/probe/index.js';
import { bareEnv, runCli } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';
import { listener } from '../helpers/gateways.js';
import { freePort } from '../helpers/net.js';
import { ROOT, killTracked, start, waitFor } from '../helpers/processes.js';

const INSTALL =
  [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')]
    .map((dir) => join(dir, 'real-openclaw', 'install.sh'))
    .find((file) => existsSync(file)) ?? join(ROOT, '..', 'shared', 'real-openclaw', 'install.sh');
const TOKEN = 'real-memory-token-0123456789';
const MiB = 1024 * 1024;
let realPath = '';
const figures: Record<string, unknown> = {};

beforeAll(() => {
  const out = execFileSync('bash', [INSTALL], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const match = /export PATH="([^"]+):\$PATH"/.exec(out.trim().split('\n').at(-1) ?? '');
  if (!match) throw new Error(`install.sh did not print its PATH line: ${out}`);
  realPath = `${match[1]}:/usr/bin:/bin`;
}, 900_000);
afterEach(() => killTracked());
afterAll(() => {
  removeTempDirs();
  console.log(`\nreal memory figures: ${JSON.stringify(figures, null, 2)}`);
});

async function realHome() {
  const home = tempDir('ocwd-real-mem-');
  const stateDir = join(home, '.openclaw');
  const port = await freePort();
  mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    JSON.stringify({
      gateway: { mode: 'local', port, auth: { mode: 'token', token: TOKEN } },
      logging: { file: join(stateDir, 'openclaw.log') },
    }),
  );
  const configure = (settings: Record<string, unknown>) =>
    writeFileSync(join(stateDir, 'watchdog', 'config.json'), JSON.stringify(settings));
  configure({});
  return { home, stateDir, port, env: { ...bareEnv(home), PATH: realPath }, configure };
}

type Status = {
  pressure: { memory: { rssBytes: number; gatewayRssBytes: number } | null };
  recentEvents: { event: string }[];
};

describe('the real OpenClaw gateway over the memory ceiling', () => {
  it('one graceful restart in place, then backoff: no loop', async () => {
    const h = await realHome();
    // Started by hand, as a user does (a start by the watchdog would count toward the backoff).
    start('openclaw', ['gateway', 'run', '--bind', 'loopback'], { env: h.env, detached: true });
    await waitFor(
      async () =>
        (await probeGateway({ host: '127.0.0.1', port: h.port, timeoutMs: 2000 })).verdict ===
        'healthy',
      { what: 'the real gateway up', timeoutMs: 120_000, intervalMs: 500 },
    );
    expect((await runCli(['check'], h.env)).code).toBe(0);
    const pid = listener(h.port)!;
    expect(pid).not.toBeNull();
    const status = async () =>
      JSON.parse((await runCli(['status', '--json'], h.env)).stdout) as Status;
    const before = (await status()).pressure.memory!;
    figures.treeRssMiB = Math.round(before.rssBytes / MiB);
    figures.gatewayRssMiB = Math.round(before.gatewayRssBytes / MiB);
    // The ceiling under its RSS; restarted at once; a second one waits (backoff: 60 s, 120 s …).
    const ceiling = Math.floor(before.rssBytes / MiB / 2);
    h.configure({
      memory: { restartAboveMB: ceiling, sustainSec: 0, drainSec: 60 },
      restart: { verifyTimeoutSec: 120 },
    });
    const t0 = Date.now();
    const r = await runCli(['check', '--json'], h.env);
    figures.gracefulRestartSec = (Date.now() - t0) / 1000;
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('degraded');
    expect(report.restart).toMatchObject({ method: 'rpc', result: 'healthy' });
    figures.samePid = report.restart.pid === pid;
    if (report.restart.pid === pid) expect(listener(h.port)).toBe(pid);
    expect((await probeGateway({ host: '127.0.0.1', port: h.port, timeoutMs: 2000 })).verdict).toBe(
      'healthy',
    );
    // Still over the ceiling after its restart: the next checks wait under backoff, no restart
    // (held: degraded, exit 0; restart_deferred once for the stretch).
    for (let i = 0; i < 2; i++) {
      const next = JSON.parse((await runCli(['check', '--json'], h.env)).stdout);
      expect(next).toMatchObject({ status: 'degraded', exitCode: 0 });
      expect(next.actions.filter((a: { type: string }) => a.type === 'graceful-restart')).toEqual(
        [],
      );
    }
    const events = (await status()).recentEvents.map((e) => e.event);
    figures.events = events;
    expect(events.filter((e) => e === 'gateway_restart')).toHaveLength(1);
    expect(events.filter((e) => e === 'restart_deferred')).toHaveLength(1);
    expect(events).toContain('memory_high');
    await waitFor(() => listener(h.port), { what: 'the gateway still up' });
  });
});
