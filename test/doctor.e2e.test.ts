/**
 * `doctor` end to end: the built CLI against a crontab stand-in on PATH (the real crontab is
 * shared: never touched), a real cron daemon (started here when none runs, and stopped), and fake
 * gateways. One test per finding: a right set-up first, then each broken in one way.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cronDaemons } from '../src/lib/doctor/gather.js';
import { BREAKER_REASON, insertBoot } from './fixtures/boot-ledger.mjs';
import type { Finding } from '../src/lib/doctor/types.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/dirs.js';
import { listener } from './helpers/gateways.js';
import { createServer, type Server } from 'node:net';
import { freePort } from './helpers/net.js';
import { ROOT } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, fakeGatewayCommand, makeHome, type Home } from './helpers/watchdog-home.js';

const OPENCLAW_CLI = join(ROOT, 'test', 'fixtures', 'openclaw-cli.mjs');
const TOKEN = 'doctor-e2e-token-5f0c2e7a';

let cronPid: number | null = null;
/** No cron daemon ran before this file started one. */
let noCronBefore = false;

beforeAll(async () => {
  if ((cronDaemons() ?? []).length > 0) return;
  noCronBefore = true;
});

afterAll(async () => {
  // Only the daemon this file started, by its pid: SIGTERM, then SIGKILL if it is still there.
  if (cronPid === null) return;
  const pid = cronPid;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
});

const receivers: Receiver[] = [];
afterEach(async () => {
  cleanUp();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/**
 * Starts Debian's cron in the foreground (not marked for teardown: it lives for this file), in a
 * private mount namespace where it sees no crontab at all (tmpfs over the spool and /etc/cron.d,
 * /etc/crontab empty): a real cron daemon that runs nothing, not the root crontab other test
 * files edit. Needs root, as cron itself does.
 */
async function ensureCron(): Promise<void> {
  if ((cronDaemons() ?? []).length > 0) return;
  const script =
    'mount -t tmpfs tmpfs /var/spool/cron/crontabs && mount -t tmpfs tmpfs /etc/cron.d && ' +
    'mount --bind /dev/null /etc/crontab && exec /usr/sbin/cron -f';
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    stdio: 'ignore',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  child.on('error', () => {});
  cronPid = child.pid ?? null; // unshare and sh exec: the same pid ends up as cron
  for (let i = 0; i < 100 && (cronDaemons() ?? []).length === 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  expect(
    (cronDaemons() ?? []).length,
    'a cron daemon runs (needs root and /usr/sbin/cron)',
  ).toBeGreaterThan(0);
}

interface Setup {
  home: Home;
  bin: string;
  table: string;
  env: NodeJS.ProcessEnv;
  doctor(args?: string[]): Promise<{ code: number | null; findings: Finding[]; stderr: string }>;
  find(findings: Finding[], id: string): Finding;
  configure(settings: Record<string, unknown>): void;
  openclawJson(value: Record<string, unknown>): void;
}

/**
 * A right set-up: a token, a fake gateway the watchdog's restart.command starts (and a first check
 * started it), alert channels and a heartbeat, the crontab block and launcher from install-cron.
 */
async function setUp(
  extra: { gatewayFlags?: string[]; heartbeat?: 'ok' | 'fail' } = {},
): Promise<Setup> {
  const port = await freePort();
  const heartbeat = await startReceiver(extra.heartbeat ?? 'ok');
  receivers.push(heartbeat);
  const bin = tempDir();
  const table = join(bin, 'table');
  writeFileSync(
    join(bin, 'crontab'),
    `#!/bin/sh\ncase "$1" in\n  -l) [ -f '${table}' ] && exec cat '${table}'; echo "no crontab for $(id -un)" >&2; exit 1 ;;\n  -) exec cat > '${table}' ;;\nesac\nexit 1\n`,
    { mode: 0o755 },
  );
  const settings = {
    ...FAST,
    restart: {
      ...FAST.restart,
      command: fakeGatewayCommand(port, ['--token', TOKEN, ...(extra.gatewayFlags ?? [])]),
    },
    notify: {
      // configured, but wanting no event a check raises here (nothing waits in the outbox)
      webhooks: [{ url: 'http://127.0.0.1:9/hook', events: ['crash_loop'] }],
      heartbeat: { url: heartbeat.url, format: 'json' },
    },
  };
  const home = await makeHome(settings, port);
  const openclawJson = (value: Record<string, unknown>) =>
    writeFileSync(join(home.stateDir, 'openclaw.json'), JSON.stringify(value));
  openclawJson({
    gateway: { auth: { token: TOKEN } },
    logging: { file: join(home.home, 'oc.log') },
  });
  const env = { ...home.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  const installed = await runCli(['install-cron'], env);
  expect(installed.code, installed.stderr).toBe(0);
  const first = await runCli(['check'], env);
  expect(first.code, first.stderr).toBe(0);
  listener(port);
  const find = (findings: Finding[], id: string) => {
    const f = findings.find((x) => x.id === id);
    if (!f) throw new Error(`no finding ${id}: ${JSON.stringify(findings)}`);
    return f;
  };
  return {
    home,
    bin,
    table,
    env,
    find,
    configure: (next) => home.configure({ ...settings, ...next }),
    openclawJson,
    async doctor(args = []) {
      const r = await runCli(['doctor', '--json', ...args], env);
      const report = JSON.parse(r.stdout) as { ok: boolean; findings: Finding[] };
      expect(report.ok).toBe(r.code === 0);
      return { code: r.code, findings: report.findings, stderr: r.stderr };
    },
  };
}

describe('doctor', () => {
  it('the cron daemon: fail while none runs (when none did), ok once a real cron runs', async () => {
    const s = await setUp();
    if (noCronBefore && (cronDaemons() ?? []).length === 0) {
      const before = await s.doctor();
      expect(s.find(before.findings, 'cron.daemon')).toMatchObject({ status: 'fail' });
      expect(s.find(before.findings, 'cron.daemon').fix).toContain('systemctl enable --now cron');
      expect(before.code).toBe(1);
    }
    await ensureCron();
    const after = await s.doctor();
    expect(s.find(after.findings, 'cron.daemon').status).toBe('ok');
    expect(s.find(after.findings, 'cron.daemon').message).toMatch(
      /cron daemon running \((cron|crond|cronie), pid \d+\)/,
    );
  });

  it('a right set-up: every check ok, exit 0; the human form is one line per check', async () => {
    await ensureCron();
    const s = await setUp();
    const r = await s.doctor();
    expect(r.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(r.code).toBe(0);
    const human = await runCli(['doctor'], s.env);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(r.findings.length + 1);
    expect(lines.at(-1)).toBe('all good');
    expect(human.stdout).not.toContain(TOKEN);
  });

  it('no crontab block: fail, fix install-cron', async () => {
    await ensureCron();
    const s = await setUp();
    expect((await runCli(['uninstall-cron'], s.env)).code).toBe(0);
    const r = await s.doctor();
    expect(s.find(r.findings, 'cron.block')).toMatchObject({
      status: 'fail',
      fix: 'openclaw-watchdog install-cron',
    });
    expect(r.code).toBe(1);
  });

  it("the block edited by hand: warn, it no longer runs install-cron's launcher", async () => {
    const s = await setUp();
    const table = readFileSync(s.table, 'utf8');
    writeFileSync(s.table, table.replace(/cron-check\.sh\n/, 'cron-check.sh >/dev/null 2>&1\n'));
    const r = await s.doctor();
    expect(s.find(r.findings, 'cron.block').status).toBe('warn');
  });

  it("the launcher's node moved (another nvm version): fail naming it, fix install-cron", async () => {
    const s = await setUp();
    const launcher = join(s.home.dir, 'cron-check.sh');
    const moved = join(tempDir(), 'v24.0.0', 'bin', 'node');
    writeFileSync(
      launcher,
      readFileSync(launcher, 'utf8').replace(`exec ${process.execPath} `, `exec ${moved} `),
    );
    const r = await s.doctor();
    const f = s.find(r.findings, 'cron.launcher');
    expect(f.status).toBe('fail');
    expect(f.message).toContain(moved);
    expect(f.fix).toContain('openclaw-watchdog install-cron');
    expect(r.code).toBe(1);
  });

  it('the launcher runs another copy of openclaw-watchdog: warn with both versions', async () => {
    const s = await setUp();
    const other = join(tempDir(), 'cli.js');
    writeFileSync(other, "process.stdout.write('0.0.9\\n');\n");
    const launcher = join(s.home.dir, 'cron-check.sh');
    const text = readFileSync(launcher, 'utf8');
    writeFileSync(launcher, text.replace(/ (\S+\/dist\/cli\.js) check/, ` ${other} check`));
    const r = await s.doctor();
    const f = s.find(r.findings, 'cron.launcher');
    expect(f.status).toBe('warn');
    expect(f.message).toContain(`cron runs openclaw-watchdog 0.0.9 at ${other}`);
  });

  it('the launcher is missing or not executable: fail', async () => {
    const s = await setUp();
    chmodSync(join(s.home.dir, 'cron-check.sh'), 0o600);
    expect(s.find((await s.doctor()).findings, 'cron.launcher').status).toBe('fail');
  });

  it('no check within 3 cadences: fail "no check for N min: is cron running?"', async () => {
    const s = await setUp();
    const file = join(s.home.dir, 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    state.lastCheckAt = Date.now() - 10 * 60_000;
    writeFileSync(file, JSON.stringify(state));
    const r = await s.doctor();
    expect(s.find(r.findings, 'cron.last-check').message).toMatch(
      /^no check for 10 min: is cron running\?/,
    );
    expect(r.code).toBe(1);
  });

  it('no check ever, long after install-cron: fail; right after it: warn', async () => {
    const s = await setUp();
    const file = join(s.home.dir, 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    state.lastCheckAt = null;
    writeFileSync(file, JSON.stringify(state));
    expect(s.find((await s.doctor()).findings, 'cron.last-check').status).toBe('warn');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(s.home.dir, 'cron-check.sh'), old, old);
    expect(s.find((await s.doctor()).findings, 'cron.last-check').status).toBe('fail');
  });

  it('the gateway does not answer: fail with what the probe saw', async () => {
    const s = await setUp();
    process.kill(listener(s.home.port)!, 'SIGKILL');
    for (let i = 0; i < 100 && listener(s.home.port) !== null; i++)
      await new Promise((r) => setTimeout(r, 50));
    const f = s.find((await s.doctor()).findings, 'gateway.answers');
    expect(f.status).toBe('fail');
    expect(f.message).toContain(`127.0.0.1:${s.home.port}: nothing listens on the port`);
  });

  it('something else holds the port: fail naming the port', async () => {
    const port = await freePort();
    const server: Server = createServer((c) => c.end('HTTP/1.1 200 OK\r\n\r\nhello'));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      const s = await setUp();
      const r = await runCli(['doctor', '--json'], {
        ...s.env,
        OPENCLAW_GATEWAY_PORT: String(port),
      });
      const f = s.find(
        (JSON.parse(r.stdout) as { findings: Finding[] }).findings,
        'gateway.answers',
      );
      expect(f.status).toBe('fail');
      expect(f.fix).toContain(`sport = :${port}`);
    } finally {
      server.close();
    }
  });

  it('the token is not known: warn, saying channel checks and the memory restart RPC are off', async () => {
    const s = await setUp();
    s.openclawJson({ logging: { file: join(s.home.home, 'oc.log') } });
    const f = s.find((await s.doctor()).findings, 'gateway.token');
    expect(f.status).toBe('warn');
    expect(f.message).toContain('channel checks (channels.status)');
    expect(f.message).toContain('in-place memory restart (gateway.restart.request)');
    expect(f.fix).toContain('gateway.auth.token in');
  });

  it('a wrong token: fail, AUTH_TOKEN_MISMATCH', async () => {
    const s = await setUp();
    s.openclawJson({ gateway: { auth: { token: 'not-the-gateway-token-1234' } } });
    const r = await s.doctor();
    const f = s.find(r.findings, 'gateway.token');
    expect(f.status).toBe('fail');
    expect(f.message).toContain('AUTH_TOKEN_MISMATCH');
    expect(JSON.stringify(r.findings)).not.toContain('not-the-gateway-token-1234');
  });

  it("restart.command's program does not exist: fail", async () => {
    const s = await setUp();
    s.configure({ restart: { ...FAST.restart, command: ['/nonexistent/openclaw-run.sh'] } });
    const f = s.find((await s.doctor()).findings, 'gateway.start');
    expect(f.status).toBe('fail');
    expect(f.message).toContain('/nonexistent/openclaw-run.sh');
  });

  it('openclaw found on the PATH cron has, and `openclaw --version` runs: ok; fails: fail with its line', async () => {
    const s = await setUp();
    const oc = join(s.bin, 'openclaw');
    writeFileSync(oc, `#!/bin/sh\nexec '${process.execPath}' '${OPENCLAW_CLI}' "$@"\n`, {
      mode: 0o755,
    });
    s.configure({ restart: { ...FAST.restart, command: null } });
    // install-cron again: the launcher's PATH is what cron has; it holds the stand-in's dir.
    expect((await runCli(['install-cron'], s.env)).code).toBe(0);
    const ok = s.find((await s.doctor()).findings, 'gateway.start');
    expect(ok).toMatchObject({
      status: 'ok',
      message: `openclaw starts the gateway (${oc} (OpenClaw 0.0.0-fake (openclaw-watchdog test stand-in)))`,
    });
    const why = 'openclaw: Node 20.20.2: node:sqlite is unavailable; use 24.16+/26.1+';
    writeFileSync(
      oc,
      `#!/bin/sh\nFAKE_OPENCLAW_VERSION_FAIL='${why}' exec '${process.execPath}' '${OPENCLAW_CLI}' "$@"\n`,
    );
    const bad = s.find((await s.doctor()).findings, 'gateway.start');
    expect(bad.status).toBe('fail');
    expect(bad.message).toContain(`${oc} --version failed (exit 1): ${why}`);
    expect(bad.fix).toContain('OpenClaw needs Node 24');
  });

  it('openclaw not found with the PATH cron has: fail', async () => {
    const s = await setUp();
    s.configure({
      restart: { ...FAST.restart, command: null, openclaw: join(s.bin, 'no-openclaw') },
    });
    const f = s.find((await s.doctor()).findings, 'gateway.start');
    expect(f.status).toBe('fail');
    expect(f.message).toMatch(/^no start possible with the PATH cron has: openclaw not found/);
  });

  it('an invalid config: fail naming the file and key, exit 1, the rest still reported', async () => {
    const s = await setUp();
    writeFileSync(join(s.home.dir, 'config.json'), '{ probe: { timeoutMs: 5 } }');
    const r = await s.doctor();
    const f = s.find(r.findings, 'config');
    expect(f.status).toBe('fail');
    expect(f.message).toContain('probe.timeoutMs');
    expect(f.fix).toContain(join(s.home.dir, 'config.json'));
    expect(r.findings.length).toBeGreaterThan(10);
    expect(r.code).toBe(1);
  });

  it('no alert channel, no heartbeat: warnings (exit 0), notify test suggested', async () => {
    await ensureCron();
    const s = await setUp();
    s.configure({ notify: {} });
    const r = await s.doctor();
    const channels = s.find(r.findings, 'notify.channels');
    expect(channels.status).toBe('warn');
    expect(channels.fix).toContain('openclaw-watchdog notify test');
    expect(s.find(r.findings, 'notify.heartbeat').message).toContain(
      'nothing would notice if this watchdog stopped',
    );
    expect(r.code).toBe(0);
  });

  it("the heartbeat's last ping failed: warn with the error", async () => {
    const s = await setUp({ heartbeat: 'fail' });
    const f = s.find((await s.doctor()).findings, 'notify.heartbeat');
    expect(f.status).toBe('warn');
    expect(f.message).toContain('HTTP 500');
  });

  it('disk below disk.warnFreePercent: warn', async () => {
    const s = await setUp();
    s.configure({ disk: { warnFreePercent: 100 } });
    expect(s.find((await s.doctor()).findings, 'disk').status).toBe('warn');
  });

  it("OpenClaw's safe mode (/readyz suppressed): warn naming the channels", async () => {
    const control = join(tempDir(), 'control.json');
    writeFileSync(control, JSON.stringify({ readyz: { suppressed: ['telegram'] } }));
    const s = await setUp({ gatewayFlags: ['--control', control] });
    const f = s.find((await s.doctor()).findings, 'openclaw.safe-mode');
    expect(f.status).toBe('warn');
    expect(f.message).toContain('channels telegram kept off');
  });

  it("unclean boots in OpenClaw's boot ledger (its breaker's window): warn with the count", async () => {
    const s = await setUp();
    const now = Date.now();
    insertBoot(s.home.stateDir, { startedAtMs: now - 60_000 }); // died without a word
    insertBoot(s.home.stateDir, {
      startedAtMs: now - 50_000,
      completedAtMs: now - 40_000,
      outcome: 'startup_failed',
      reason: 'listen EADDRINUSE',
    });
    insertBoot(s.home.stateDir, {
      startedAtMs: now - 30_000,
      completedAtMs: now - 20_000,
      outcome: 'clean_stop',
    });
    const f = s.find((await s.doctor()).findings, 'openclaw.unclean-boots');
    expect(f.status).toBe('warn');
    expect(f.message).toMatch(
      /^2 unclean boot\(s\) in the last 5 min \(OpenClaw turns its channels off at 3\)/,
    );
  });

  it("the running gateway's own open boot row is no unclean boot", async () => {
    const s = await setUp();
    insertBoot(s.home.stateDir, { startedAtMs: Date.now() - 5000, pid: listener(s.home.port)! });
    const f = s.find((await s.doctor()).findings, 'openclaw.unclean-boots');
    expect(f).toMatchObject({ status: 'ok', message: 'no unclean boots in the last 5 min' });
  });

  it("OpenClaw's breaker tripped, by its boot ledger (safe mode): warn", async () => {
    const s = await setUp();
    insertBoot(s.home.stateDir, {
      startedAtMs: Date.now() - 30_000,
      startupReason: BREAKER_REASON,
    });
    const f = s.find((await s.doctor()).findings, 'openclaw.safe-mode');
    expect(f.status).toBe('warn');
    expect(f.message).toContain('crash-loop breaker is on');
  });

  it("OpenClaw's lifecycle lock held for maintenance (openclaw doctor, an update): warn", async () => {
    const s = await setUp();
    const dir = join(s.home.stateDir, 'tmp', `openclaw-${process.getuid!()}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'gateway.state.lock'),
      JSON.stringify({ pid: process.pid, role: 'sqlite-maintenance' }),
    );
    const f = s.find((await s.doctor()).findings, 'openclaw.maintenance');
    expect(f.status).toBe('warn');
    expect(f.message).toContain('sqlite-maintenance');
  });

  it('--all: one report per state dir in the crontab', async () => {
    const s = await setUp();
    const other = join(s.home.home, 'second');
    expect((await runCli(['install-cron', '--state-dir', other], s.env)).code).toBe(0);
    const r = await runCli(['doctor', '--all', '--json'], s.env);
    const reports = JSON.parse(r.stdout) as { stateDir: string; findings: Finding[] }[];
    expect(reports.map((x) => x.stateDir)).toEqual([s.home.stateDir, other]);
    const human = await runCli(['doctor', '--all'], s.env);
    expect(human.stdout).toContain(`state dir ${other}\n`);
    // Exit 1 exactly when a check fails. Which do depends on the host (a cron daemon running,
    // openclaw on PATH; OPENCLAW_GATEWAY_PORT sends both to the same gateway), so read them.
    const failed = reports.some((x) => x.findings.some((f) => f.status === 'fail'));
    expect(human.code).toBe(failed ? 1 : 0);
  });

  it("install-cron ends with doctor's result", async () => {
    const s = await setUp();
    const r = await runCli(['install-cron'], s.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('openclaw-watchdog doctor:\n');
    expect(r.stdout).toMatch(/^ok {4}crontab block for /m);
    expect(r.stdout).toMatch(/^ok {4}gateway answers on /m);
  });
});
