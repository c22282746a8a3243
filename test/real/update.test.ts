// Opt-in (npm run test:real): OpenClaw's own lifecycle against the real 2026.9.6 gateway.
// 1. An update simulated on a hard-linked copy of the install (`cp -al`): its dist/build-info.json is
//    replaced; the real gateway notices on its 30 s maintenance tick, drains, records a
//    `planned_restart` (gateway.installation_replaced) and exits 1 by itself. The next check starts
//    it again: gateway_updated, no gateway_down; a crash right after is restarted at once.
// 2. Doctor's lock role held (the lock written as doctor's SQLite maintenance writes it, owned by a
//    live process): a real gateway started meanwhile waits without a listener; the checks leave it
//    alone (status maintenance), then it starts by itself once the lock is released.
// Figures go to stdout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/load.js';
import { lastBoot } from '../../src/lib/openclaw/boot-ledger.js';
import { readShutdownBudget } from '../../src/lib/openclaw/shutdown-budget.js';
import { probeGateway } from '../../src/lib/probe/index.js';
import { readProc } from '../../src/lib/procs/table.js';
import { bareEnv, runCli } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';
import { listener } from '../helpers/gateways.js';
import { freePort } from '../helpers/net.js';
import { HELPER, isAlive, killTracked, start, waitFor } from '../helpers/processes.js';
import { installReal } from './install.js';

const TOKEN = 'real-update-token-0123456789';
let realPath = '';
const figures: Record<string, unknown> = {};

beforeAll(() => {
  realPath = installReal();
}, 900_000);
afterEach(() => killTracked());
afterAll(() => {
  removeTempDirs();
  console.log(`\nreal update figures: ${JSON.stringify(figures, null, 2)}`);
});

/** The installed package dir (…/node_modules/openclaw), from `openclaw` on the real PATH. */
function packageDir(): string {
  const bin = execFileSync('bash', ['-c', 'readlink -f "$(command -v openclaw)"'], {
    env: { PATH: realPath },
    encoding: 'utf8',
  }).trim();
  return dirname(bin);
}

/**
 * A private install: node_modules/openclaw hard-linked (`cp -al`, no 331 MB copy), every other
 * dependency a symlink to the real one. Its build-info.json can be replaced without touching the
 * original (unlink, then write: the hard link is broken, not written through).
 */
function privateInstall(): { bin: string; buildInfo: string } {
  const real = packageDir();
  const root = join(tempDir('ocwd-real-install-'), 'node_modules');
  mkdirSync(root);
  for (const entry of readdirSync(dirname(real)))
    if (entry !== 'openclaw' && entry !== '.bin')
      symlinkSync(join(dirname(real), entry), join(root, entry));
  execFileSync('cp', ['-al', real, join(root, 'openclaw')]);
  return {
    bin: join(root, 'openclaw', 'openclaw.mjs'),
    buildInfo: join(root, 'openclaw', 'dist', 'build-info.json'),
  };
}

async function realHome(settings: Record<string, unknown>) {
  const home = tempDir('ocwd-real-upd-');
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
  writeFileSync(join(stateDir, 'watchdog', 'config.json'), JSON.stringify(settings));
  const env = { ...bareEnv(home), PATH: realPath };
  const events = () =>
    readFileSync(join(stateDir, 'watchdog', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { home, stateDir, port, env, events };
}

const up = async (port: number) =>
  (await probeGateway({ host: '127.0.0.1', port, timeoutMs: 2000 })).verdict === 'healthy';

describe('the real OpenClaw gateway and its own lifecycle', () => {
  it('an update replaces its installation: it exits by itself, is started again at the next check (gateway_updated, no gateway_down); a crash right after is restarted at once', async () => {
    const install = privateInstall();
    const h = await realHome({
      restart: { openclaw: install.bin, verifyTimeoutSec: 120 },
      probe: { startupGraceSec: 60 },
    });
    // Started by hand from the private install, as a user does.
    const first = start(install.bin, ['gateway', 'run', '--bind', 'loopback'], {
      env: h.env,
      detached: true,
    }).pid!;
    await waitFor(() => up(h.port), {
      what: 'the real gateway up',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    expect((await runCli(['check'], h.env)).code).toBe(0);
    const pid = listener(h.port)!;
    expect(pid).toBe(first);
    // `openclaw update` replaced the package: a new buildId on disk (same version).
    const before = JSON.parse(readFileSync(install.buildInfo, 'utf8'));
    const after = { ...before, buildId: `${before.buildId}-ocwd-update` };
    rmSync(install.buildInfo);
    writeFileSync(install.buildInfo, JSON.stringify(after, null, 2));
    const t0 = Date.now();
    await waitFor(() => !isAlive(pid), {
      what: 'the gateway exits by itself',
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    figures.exitedAfterSec = (Date.now() - t0) / 1000;
    const row = lastBoot(h.stateDir);
    figures.lastBoot = row.ok ? row.value : row.reason;
    expect(row).toMatchObject({ ok: true, value: { outcome: 'planned_restart' } });
    const r = await runCli(['check', '--json'], h.env);
    const report = JSON.parse(r.stdout);
    figures.updateCheck = {
      status: report.status,
      exitCode: r.code,
      restart: report.restart?.result,
    };
    expect(report.status).toBe('updating');
    expect(report.restart).toMatchObject({ result: 'healthy', method: 'openclaw' });
    const updated = h.events().filter((e) => e.event === 'gateway_updated');
    figures.gatewayUpdated = updated;
    expect(updated).toEqual([
      expect.objectContaining({
        from: expect.stringContaining(before.buildId.slice(-12)),
        to: expect.stringContaining('-ocwd-update'),
      }),
    ]);
    expect(h.events().filter((e) => e.event === 'gateway_down')).toEqual([]);
    // The new version's gateway crashes right after: restarted at once, no backoff.
    const second = listener(h.port)!;
    expect(second).not.toBe(pid);
    process.kill(second, 'SIGKILL');
    await waitFor(() => !isAlive(second), { what: 'killed' });
    const crash = JSON.parse((await runCli(['check', '--json'], h.env)).stdout);
    expect(crash.restart).toMatchObject({ result: 'healthy' });
    const names = h.events().map((e) => e.event);
    figures.events = names;
    expect(names.filter((e) => e === 'restart_deferred')).toEqual([]);
    expect(names.filter((e) => e === 'gateway_down')).toHaveLength(1);
    await waitFor(() => up(h.port), { what: 'up again' });
  }, 600_000);

  it("doctor's lock role held: a real gateway waiting for the lifecycle lock is left alone (maintenance), and starts once doctor is done", async () => {
    const h = await realHome({ probe: { startupGraceSec: 5 }, restart: { verifyTimeoutSec: 60 } });
    // Doctor's SQLite maintenance holds the lifecycle lock (role sqlite-maintenance, pid, start time).
    const doctor = start(process.execPath, [HELPER, 'openclaw']).pid!;
    const proc = await waitFor(
      () => (readProc(doctor)?.title === 'openclaw' ? readProc(doctor) : null),
      { what: 'doctor' },
    );
    const lockDir = join(h.stateDir, 'tmp', `openclaw-${process.getuid!()}`);
    mkdirSync(lockDir, { recursive: true });
    const lock = join(lockDir, 'gateway.state.lock');
    writeFileSync(
      lock,
      JSON.stringify({
        pid: doctor,
        createdAt: new Date().toISOString(),
        configPath: join(h.stateDir, 'openclaw.json'),
        stateDir: h.stateDir,
        role: 'sqlite-maintenance',
        startTime: proc.startTicks,
      }),
    );
    const child = start('openclaw', ['gateway', 'run', '--bind', 'loopback'], {
      env: h.env,
      detached: true,
    });
    const gateway = child.pid!;
    let exitCode: number | null | undefined;
    child.once('exit', (code) => (exitCode = code));
    // The real 2026.9.6 gateway does one of two things here. A state dir whose startup migrations
    // need SQLite (a fresh one does: "legacy shared auth store") refuses them while doctor owns it
    // and exits 78 (maintenance_required), which the breaker does not count. Otherwise it waits for
    // the lifecycle lock without a listener (§11). Either way: past the startup grace, no listener,
    // what the watchdog used to restart.
    await waitFor(() => exitCode !== undefined || (readProc(gateway)?.ageSec ?? 0) > 8, {
      what: 'past the grace, or exited',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    const waited = exitCode === undefined;
    figures.gatewayWhileDoctor = waited ? 'waits for the lock' : `exited ${exitCode}`;
    if (!waited) expect(exitCode).toBe(78);
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['check', '--json'], h.env);
      statuses.push(JSON.parse(r.stdout).status);
      expect(r.code).toBe(0);
    }
    figures.doctorStatuses = statuses;
    expect(statuses).toEqual(['maintenance', 'maintenance', 'maintenance']);
    if (waited) expect(isAlive(gateway)).toBe(true);
    expect(await up(h.port)).toBeFalsy();
    expect(
      h
        .events()
        .filter((e) =>
          ['gateway_restart', 'gateway_down', 'gateway_stopped'].includes(String(e.event)),
        ),
    ).toEqual([]);
    // Doctor is done: the lock released, its process gone. A waiting gateway takes over by
    // itself; one that exited 78 is started by the next check (one restart, no crash loop).
    rmSync(lock);
    process.kill(doctor, 'SIGKILL');
    const t0 = Date.now();
    if (!waited) {
      const after = JSON.parse((await runCli(['check', '--json'], h.env)).stdout);
      figures.checkAfterDoctor = { status: after.status, restart: after.restart?.result };
      expect(after.restart).toMatchObject({ result: 'healthy' });
    }
    await waitFor(() => up(h.port), {
      what: 'the gateway serves',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    figures.startedAfterDoctorSec = (Date.now() - t0) / 1000;
    if (waited) expect(listener(h.port)).toBe(gateway);
    expect((await runCli(['check'], h.env)).code).toBe(0);
    expect(
      h.events().filter((e) => e.event === 'crash_loop' || e.event === 'update_failed'),
    ).toEqual([]);
    // What a stop reads first: the real status RPC's shutdownBudget (custody nested in it).
    const budget = await readShutdownBudget(loadConfig({}, h.env));
    figures.shutdownBudget = budget;
    expect(budget).toMatchObject({
      ok: true,
      budget: { known: true, timeoutMs: 325_000, writeCustody: [] },
    });
  }, 400_000);
});
