// Opt-in end-to-end suite against the real OpenClaw gateway: `npm run test:real`.
// Installs openclaw@2026.9.6 and Node 24 with ../shared/real-openclaw/install.sh (about 1 GB, the
// first time), then runs each gateway with a private HOME on loopback. Figures go to stdout.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeGateway } from '../../src/lib/probe/index.js';
import { listProcesses, readProc } from '../../src/lib/procs/table.js';
import { descendants } from '../../src/lib/procs/tree.js';
import { runCli, bareEnv } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';
import { listener } from '../helpers/gateways.js';
import { freePort } from '../helpers/net.js';
import { MARK, ROOT, isAlive, killTracked, makeOrphans, waitFor } from '../helpers/processes.js';

const INSTALL = join(ROOT, '..', 'shared', 'real-openclaw', 'install.sh');
const TOKEN = 'real-e2e-token-0123456789';
let realPath = '';
const figures: Record<string, unknown> = {};

beforeAll(() => {
  if (!existsSync(INSTALL))
    throw new Error(`${INSTALL} not found: the real suite needs ../shared/real-openclaw`);
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
  console.log(`\nreal gateway figures: ${JSON.stringify(figures, null, 2)}`);
});

/** A private HOME with a JSON5 openclaw.json (mode local, a persistent token, a free port). */
async function realHome(watchdog: Record<string, unknown> = {}) {
  const home = tempDir('ocwd-real-');
  const port = await freePort();
  const stateDir = join(home, '.openclaw');
  mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    `// written by the real e2e suite
{
  gateway: {
    mode: 'local',
    port: ${port}, // JSON5: comments, unquoted keys, trailing commas
    auth: { mode: 'token', token: '${TOKEN}', },
  },
}
`,
  );
  writeFileSync(join(stateDir, 'watchdog', 'config.json'), JSON.stringify(watchdog));
  const env = { ...bareEnv(home), PATH: realPath };
  return { home, port, stateDir, env };
}
const probe = (port: number, timeoutMs = 2000) =>
  probeGateway({ host: '127.0.0.1', port, timeoutMs });

describe('the real OpenClaw gateway', () => {
  it('zero-config from a JSON5 openclaw.json, run as cron runs it (env -i, only HOME): starts the gateway', async () => {
    const h = await realHome();
    const cron = await runCli(['install-cron', '--dry-run', '--every', '1m'], h.env);
    const line = cron.stdout
      .split('\n')
      .find((l) => l.startsWith('* * * * * ') && l.includes('dist/cli.js check'))!;
    const started = Date.now();
    const r = spawnSync(
      'env',
      ['-i', `HOME=${h.home}`, `OCWD_TEST_MARK=${MARK}`, '/bin/sh', '-c', line.slice(10)],
      { encoding: 'utf8' },
    );
    figures.coldStartSec = (Date.now() - started) / 1000;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const pid = listener(h.port)!;
    expect(readProc(pid)?.title).toBe('openclaw-gateway');
    expect((await probe(h.port)).verdict).toBe('healthy');
    const status = JSON.parse((await runCli(['status', '--json'], h.env)).stdout);
    expect(status.recentEvents.map((e: { event: string }) => e.event)).toEqual([
      'gateway_down',
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect(status.recentEvents[1]).toMatchObject({ method: 'openclaw' });
  });

  it('probe verdicts on a starting, ready and stopped gateway; --deep with the token', async () => {
    const h = await realHome({ restart: { verifyTimeoutSec: 1 } });
    const seen = new Set<string>();
    await runCli(['check'], h.env); // spawns it, gives up verifying after 1 s: it is still booting
    await waitFor(
      async () => {
        const v = (await probe(h.port)).verdict;
        seen.add(v);
        return v === 'healthy';
      },
      { what: 'healthy', timeoutMs: 120_000, intervalMs: 200 },
    );
    expect(seen.has('refused') || seen.has('starting')).toBe(true);
    figures.verdictsWhileBooting = [...seen];
    const deep = JSON.parse((await runCli(['probe', '--deep', '--json'], h.env)).stdout);
    expect(deep.steps.deep).toMatchObject({ ok: true });
    expect(deep.version).toBe('2026.9.6');
    figures.deepProbeMs = deep.ms;
    const pid = listener(h.port)!;
    process.kill(pid, 'SIGTERM');
    await waitFor(async () => (await probe(h.port)).verdict === 'refused', {
      what: 'stopped',
      timeoutMs: 30_000,
    });
  });

  it('crash (SIGKILL) → restarted; hung (SIGSTOP) → replaced', async () => {
    const h = await realHome({
      probe: { hungAfterSec: 5, timeoutMs: 2000 },
      restart: { stopTimeoutSec: 2, baseDelaySec: 0 },
    });
    expect((await runCli(['check'], h.env)).code).toBe(0);
    const first = listener(h.port)!;
    process.kill(first, 'SIGKILL');
    const t0 = Date.now();
    const afterCrash = await runCli(['check'], h.env);
    figures.crashToHealthySec = (Date.now() - t0) / 1000;
    expect(afterCrash.code).toBe(0);
    const second = listener(h.port)!;
    expect(second).not.toBe(first);
    process.kill(second, 'SIGSTOP');
    const t1 = Date.now();
    await waitFor(
      async () => (await runCli(['check'], h.env)).code === 0 && listener(h.port) !== second,
      {
        what: 'replacement',
        timeoutMs: 120_000,
        intervalMs: 500,
      },
    );
    figures.hungToHealthySec = (Date.now() - t1) / 1000;
    expect(isAlive(second)).toBe(false);
    expect((await probe(h.port)).verdict).toBe('healthy');
  });

  it("orphans titled like OpenClaw's CLI are reaped; the gateway's own children are untouched", async () => {
    const h = await realHome({ orphans: { minAgeSec: 0, killTimeoutSec: 2 } });
    expect((await runCli(['check'], h.env)).code).toBe(0);
    const gateway = listener(h.port)!;
    const own = descendants(gateway, await listProcesses()).map((p) => p.pid);
    figures.gatewayChildren = own.length;
    const orphans = await makeOrphans([
      'openclaw-message',
      'openclaw-completion',
      'openclaw-hooks',
    ]);
    expect((await runCli(['check'], h.env)).code).toBe(0);
    for (const pid of orphans) expect(isAlive(pid)).toBe(false);
    expect(isAlive(gateway)).toBe(true);
    for (const pid of own) if (readProc(pid)) expect(isAlive(pid)).toBe(true);
  });
});
