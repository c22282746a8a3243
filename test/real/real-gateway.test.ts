// Opt-in end-to-end suite against the real OpenClaw gateway: `npm run test:real`.
// Installs openclaw@2026.9.6 and Node 24 with ../shared/real-openclaw/install.sh (about 1 GB, the
// first time), then runs each gateway with a private HOME on loopback. Figures go to stdout.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { logLines } from '../helpers/gateway-log.js';
import { parseEnviron } from '../../src/lib/procs/attribute.js';
import { launcherPath, writeLauncher } from '../../src/lib/cron/launcher.js';
import { probeGateway } from '../../src/lib/probe/index.js';
import { listProcesses, readProc } from '../../src/lib/procs/table.js';
import { descendants } from '../../src/lib/procs/tree.js';
import { runCli, bareEnv } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';
import { listener } from '../helpers/gateways.js';
import { freePort } from '../helpers/net.js';
import { MARK, isAlive, killTracked, makeOrphans, start, waitFor } from '../helpers/processes.js';
import { installReal } from './install.js';

const TOKEN = 'real-e2e-token-0123456789';
let realPath = '';
const figures: Record<string, unknown> = {};

beforeAll(() => {
  realPath = installReal();
}, 900_000);
afterEach(() => killTracked());
afterAll(() => {
  removeTempDirs();
  console.log(`\nreal gateway figures: ${JSON.stringify(figures, null, 2)}`);
});

/**
 * An OpenClaw state dir: a JSON5 openclaw.json (mode local, a persistent token, a free port, its
 * file log in the dir rather than the shared /tmp/openclaw) and the watchdog's config.json.
 */
async function realStateDir(
  stateDir: string,
  watchdog: Record<string, unknown> = {},
  token = TOKEN,
) {
  const port = await freePort();
  const logFile = join(stateDir, 'openclaw.log');
  mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    `// written by the real e2e suite
{
  gateway: {
    mode: 'local',
    port: ${port}, // JSON5: comments, unquoted keys, trailing commas
    auth: { mode: 'token', token: '${token}', },
  },
  logging: { file: '${logFile}' },
}
`,
  );
  writeFileSync(join(stateDir, 'watchdog', 'config.json'), JSON.stringify(watchdog));
  return { port, stateDir, logFile };
}

/** A private HOME with ~/.openclaw as in realStateDir. */
async function realHome(watchdog: Record<string, unknown> = {}) {
  const home = tempDir('ocwd-real-');
  const dir = await realStateDir(join(home, '.openclaw'), watchdog);
  const env = { ...bareEnv(home), PATH: realPath };
  return { home, env, ...dir };
}

/** The one line a check that started the gateway prints (check-line.ts). */
const RESTARTED =
  /^openclaw-watchdog: down: nothing listens on the port; restarted \(openclaw, pid \d+\), healthy after [\d.]+ s\n$/;

const closedEarly = (file: string) =>
  logLines(file).filter((l) => /closed before connect/.test(l.message ?? '')).length;

/**
 * The events of `status --json`, but `orphans_reaped`: a down check reaps every parentless
 * `openclaw-*` process of the user, and other test runs on this machine (same user) leave some.
 */
const eventNames = (status: { recentEvents: { event: string }[] }) =>
  status.recentEvents.map((e) => e.event).filter((e) => e !== 'orphans_reaped');
const probe = (port: number, timeoutMs = 2000) =>
  probeGateway({ host: '127.0.0.1', port, timeoutMs });

describe('the real OpenClaw gateway', () => {
  it("zero-config from a JSON5 openclaw.json, run as cron runs it (env -i, cron's HOME): the launcher starts the gateway with the installer's HOME", async () => {
    const h = await realHome();
    const cron = await runCli(['install-cron', '--dry-run', '--every', '1m'], h.env);
    expect(cron.code).toBe(0);
    const launcher = launcherPath(h.stateDir);
    const line = cron.stdout.split('\n').find((l) => l === `* * * * * ${launcher}`);
    expect(line).toBeDefined();
    // --dry-run prints the launcher on stderr instead of writing it: write it as install-cron does
    // (without touching the crontab, shared by everyone on this machine).
    writeLauncher(launcher, cron.stderr.slice(cron.stderr.indexOf('#!/bin/sh\n')));
    // cron sets HOME from /etc/passwd, which is not the HOME the user installed from
    const cronHome = tempDir('ocwd-real-cron-');
    const started = Date.now();
    const r = spawnSync(
      'env',
      ['-i', `HOME=${cronHome}`, `OCWD_TEST_MARK=${MARK}`, '/bin/sh', '-c', line!.slice(10)],
      { encoding: 'utf8' },
    );
    figures.coldStartSec = (Date.now() - started) / 1000;
    // One line (cron mails it): the check started the gateway (check-line.ts).
    expect(r.stderr).toMatch(RESTARTED);
    expect(r.status).toBe(0);
    const pid = listener(h.port)!;
    expect(readProc(pid)?.title).toBe('openclaw-gateway');
    expect(readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')).toContain(`HOME=${h.home}`);
    expect((await probe(h.port)).verdict).toBe('healthy');
    const status = JSON.parse((await runCli(['status', '--json'], h.env)).stdout);
    expect(eventNames(status)).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
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

  it('crash while another gateway of the same user boots on another port and state dir: the next check restarts ours at once, the other untouched', async () => {
    const h = await realHome({ restart: { baseDelaySec: 0 } });
    expect((await runCli(['check'], h.env)).code).toBe(0);
    const first = listener(h.port)!;
    expect(first).not.toBeNull();
    // Same user and HOME, its own state dir (OPENCLAW_STATE_DIR, as a second profile's service
    // sets it) and port: young and titled like a gateway while ours is down.
    const other = await realStateDir(join(h.home, '.openclaw-other'), {}, 'token-of-the-other');
    const otherPid = start('openclaw', ['gateway', 'run', '--bind', 'loopback'], {
      env: { ...h.env, OPENCLAW_STATE_DIR: other.stateDir },
      detached: true,
    }).pid!;
    process.kill(first, 'SIGKILL');
    await waitFor(() => listener(h.port) === null, { what: 'the crashed gateway gone' });
    expect(isAlive(otherPid)).toBe(true);
    const t0 = Date.now();
    const r = await runCli(['check', '--json'], h.env);
    figures.crashToHealthyWithOtherBootingSec = (Date.now() - t0) / 1000;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).restart).toMatchObject({ result: 'healthy' });
    expect(listener(h.port)).not.toBe(first);
    const status = JSON.parse((await runCli(['status', '--json'], h.env)).stdout);
    const events = eventNames(status);
    expect(events.slice(-3)).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
    expect(events).not.toContain('waiting');
    expect(isAlive(otherPid)).toBe(true);
    await waitFor(async () => (await probe(other.port)).verdict === 'healthy', {
      what: 'the other gateway up',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
  });

  it("orphans titled like OpenClaw's CLI are reaped; the gateway's own children are untouched", async () => {
    const h = await realHome({ orphans: { minAgeSec: 0, killTimeoutSec: 2 } });
    expect((await runCli(['check'], h.env)).code).toBe(0);
    const gateway = listener(h.port)!;
    const own = descendants(gateway, await listProcesses()).map((p) => p.pid);
    figures.gatewayChildren = own.length;
    // Orphans carry what the gateway's own helpers carry: the environment of one of its children
    // (OpenClaw sets OPENCLAW_GATEWAY_PORT in its own env at start, so its helpers name its port).
    // Its spawn-broker starts before that; the children started after it carry the port. A
    // short-lived child may be gone between the listing and this read (ENOENT): skipped.
    const environ = (pid: number): Record<string, string> => {
      try {
        return parseEnviron(readFileSync(`/proc/${pid}/environ`, 'latin1'));
      } catch {
        return {};
      }
    };
    const helperEnv = own.map(environ).find((env) => env.OPENCLAW_GATEWAY_PORT) ?? {};
    expect(helperEnv.OPENCLAW_GATEWAY_PORT).toBe(String(h.port));
    const orphans = await makeOrphans(
      ['openclaw-message', 'openclaw-completion', 'openclaw-hooks'],
      {
        env: { ...helperEnv, OCWD_TEST_MARK: MARK },
      },
    );
    // And one of another gateway (another port): never reaped.
    const foreign = await makeOrphans(['openclaw-message'], {
      env: { ...helperEnv, OPENCLAW_GATEWAY_PORT: String(h.port + 1), OCWD_TEST_MARK: MARK },
    });
    expect((await runCli(['check'], h.env)).code).toBe(0);
    for (const pid of orphans) expect(isAlive(pid)).toBe(false);
    for (const pid of foreign) expect(isAlive(pid)).toBe(true);
    expect(isAlive(gateway)).toBe(true);
    for (const pid of own) if (readProc(pid)) expect(isAlive(pid)).toBe(true);
  });

  it('check --state-dir DIR restarts the gateway with DIR/openclaw.json; its checks leave no warning in the gateway log', async () => {
    const home = tempDir('ocwd-real-');
    const env = { ...bareEnv(home), PATH: realPath };
    const dir = await realStateDir(join(home, 'srv', 'gw-b'), {}, 'token-only-in-dir-b');
    const r = await runCli(['check', '--state-dir', dir.stateDir], env);
    expect(r).toMatchObject({ code: 0, stderr: expect.stringMatching(RESTARTED) });
    const deep = (token: string) =>
      probeGateway({
        host: '127.0.0.1',
        port: dir.port,
        timeoutMs: 3000,
        deep: { token, version: '0' },
      });
    expect((await deep('token-only-in-dir-b')).steps.deep).toMatchObject({ ok: true });
    expect((await deep(TOKEN)).steps.deep).toMatchObject({ code: 'AUTH_TOKEN_MISMATCH' });
    // That refused connect is one `closed before connect`: wait for it before counting.
    await waitFor(() => closedEarly(dir.logFile) >= 1, { what: 'the refused connect logged' });

    // The probe is quiet: healthy checks (each probes once) add no `closed before connect`
    // warning; a probe closed right after the challenge, as the watchdog used to, adds one.
    const check = () => runCli(['check', '--state-dir', dir.stateDir], env);
    const lines0 = logLines(dir.logFile).length;
    const warned0 = closedEarly(dir.logFile);
    const CHECKS = 5;
    for (let i = 0; i < CHECKS; i++) expect((await check()).code).toBe(0);
    const lines = logLines(dir.logFile).length - lines0;
    await probe(dir.port); // the old probe: challenge, then close
    await waitFor(() => closedEarly(dir.logFile) > warned0, { what: 'the old probe warning' });
    expect(closedEarly(dir.logFile)).toBe(warned0 + 1);
    figures.closedBeforeConnectPerDayAt30s = { oldProbe: 2880, checks: 0 };
    figures.gatewayLogLinesDuringChecks = { checks: CHECKS, lines };
  });

  it('check --profile NAME restarts the gateway with ~/.openclaw-NAME/openclaw.json, not ~/.openclaw', async () => {
    const home = tempDir('ocwd-real-');
    const env = { ...bareEnv(home), PATH: realPath };
    await realStateDir(join(home, '.openclaw'), {}, 'token-of-the-default-profile');
    const work = await realStateDir(join(home, '.openclaw-ocwdtest'), {}, 'token-only-in-profile');
    const r = await runCli(['check', '--profile', 'ocwdtest'], env);
    expect(r).toMatchObject({ code: 0, stderr: expect.stringMatching(RESTARTED) });
    const deep = (token: string) =>
      probeGateway({
        host: '127.0.0.1',
        port: work.port,
        timeoutMs: 3000,
        deep: { token, version: '0' },
      });
    expect((await deep('token-only-in-profile')).steps.deep).toMatchObject({ ok: true });
    expect((await deep('token-of-the-default-profile')).steps.deep).toMatchObject({
      code: 'AUTH_TOKEN_MISMATCH',
    });
    const pid = listener(work.port)!;
    const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    expect(environ).toContain('OPENCLAW_PROFILE=ocwdtest');
    expect(environ).toContain(`OPENCLAW_STATE_DIR=${work.stateDir}`);
  });

  it('openclaw gateway stop (a --profile under the real HOME, which the CLI accepts): no restart until it is started again; a crash after that start is restarted', async () => {
    // `gateway stop` refuses a HOME, state dir or config path that is not the OS account's
    // canonical one (§6); a named profile under the account's real HOME is canonical
    // (~/.openclaw-NAME/openclaw.json), on its own port, and never touches ~/.openclaw.
    const home = userInfo().homedir;
    const profile = `ocwdstop${randomBytes(4).toString('hex')}`;
    const dir = await realStateDir(join(home, `.openclaw-${profile}`), {
      restart: { baseDelaySec: 0 },
    });
    const env = { ...bareEnv(home), PATH: realPath };
    const check = () => runCli(['check', '--profile', profile], env);
    const status = async () =>
      JSON.parse((await runCli(['status', '--profile', profile, '--json'], env)).stdout);
    try {
      expect((await check()).code).toBe(0);
      const first = listener(dir.port)!;
      expect(first).not.toBeNull();
      const t0 = Date.now();
      const stop = spawnSync(
        'openclaw',
        ['--profile', profile, 'gateway', 'stop', '--force', '--json'],
        { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      figures.gatewayStop = { sec: (Date.now() - t0) / 1000, exit: stop.status };
      expect(stop.status).toBe(0);
      expect(JSON.parse(stop.stdout)).toMatchObject({ action: 'stop', ok: true });
      const line = readFileSync(join(dir.stateDir, 'logs', 'gateway-restart.log'), 'utf8');
      expect(line).toMatch(new RegExp(`action=stop mode=sigterm pid=${first} `));
      await waitFor(() => !isAlive(first), { what: 'stopped', timeoutMs: 60_000 });
      for (let i = 0; i < 3; i++) expect((await check()).code).toBe(0);
      expect(listener(dir.port)).toBeNull();
      const stopped = await status();
      expect(stopped.gateway.state).toBe('stopped');
      expect(stopped.stoppedByUser).toMatchObject({ source: 'openclaw', pid: first });
      const after = eventNames(stopped).slice(
        eventNames(stopped).indexOf('gateway_stopped_by_user'),
      );
      expect(after).toEqual(['gateway_stopped_by_user']);

      // Started again by hand: supervised again; its crash is restarted as usual.
      const again = start(
        'openclaw',
        ['--profile', profile, 'gateway', 'run', '--bind', 'loopback'],
        {
          env,
          detached: true,
        },
      ).pid!;
      await waitFor(async () => (await probe(dir.port)).verdict === 'healthy', {
        what: 'started again',
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect((await check()).code).toBe(0);
      process.kill(again, 'SIGKILL');
      await waitFor(() => listener(dir.port) === null, { what: 'crashed' });
      const t1 = Date.now();
      const r = await runCli(['check', '--profile', profile, '--json'], env);
      figures.crashAfterUserStartToHealthySec = (Date.now() - t1) / 1000;
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).restart).toMatchObject({ result: 'healthy' });
      expect(listener(dir.port)).not.toBe(again);
      expect((await status()).stoppedByUser).toBeNull();
    } finally {
      killTracked();
      rmSync(dir.stateDir, { recursive: true, force: true });
    }
  });
});
