// Issue 19, item 4: OpenClaw at work on itself (doctor's lock role, an update run with a live
// driver, a suspended gateway) is left alone: no stop, no start, no reaping, up to update.maxSec.
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { readProc } from '../src/lib/procs/table.js';
import { restartLogPath } from '../src/lib/lifecycle/stop-marker.js';
import { runCli } from './helpers/cli.js';
import { healthy, listener } from './helpers/gateways.js';
import { HELPER, isAlive, start, startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';

afterEach(cleanUp);

/** The fake gateway holds about 55 MiB idle; --rss-mb 200 puts it well above 120 (memory.e2e). */
const CEILING = { restartAboveMB: 120, warnAboveMB: 4000, sustainSec: 0, drainSec: 2 };

const named = (h: Home, name: string) => h.events().filter((e) => e.event === name);

const HOLD = "process.title = 'openclaw'; setInterval(() => {}, 1 << 30);";

/** A live process standing in for `openclaw doctor` (its pid and start time are the owner's). */
async function doctorProcess(
  env?: NodeJS.ProcessEnv,
  /** The state database it holds open, as doctor's SQLite work does. */
  db?: string,
): Promise<{ pid: number; startTicks: number }> {
  const args = db
    ? ['-e', `require('node:fs').openSync(${JSON.stringify(db)}, 'a'); ${HOLD}`]
    : [HELPER, 'openclaw'];
  const pid = start(process.execPath, args, env ? { env } : {}).pid!;
  const proc = await waitFor(() => (readProc(pid)?.title === 'openclaw' ? readProc(pid) : null), {
    what: 'doctor stand-in',
  });
  return { pid, startTicks: proc.startTicks };
}

/** The lifecycle lock as doctor's SQLite maintenance writes it (dist gateway-lock-*.mjs). */
function doctorLock(h: Home, owner: { pid: number; startTicks: number }): void {
  const dir = join(h.stateDir, 'tmp', `openclaw-${process.getuid!()}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'gateway.state.lock'),
    JSON.stringify({
      pid: owner.pid,
      createdAt: new Date().toISOString(),
      configPath: join(h.stateDir, 'openclaw.json'),
      stateDir: h.stateDir,
      role: 'sqlite-maintenance',
      startTime: owner.startTicks,
    }),
  );
}

/** An update_runs row `running`, driven by `driver` (origin_json.driver). */
function updateRun(
  h: Home,
  driver: { pid: number; startTicks: number },
  phase = 'activating',
): void {
  mkdirSync(join(h.stateDir, 'state'), { recursive: true });
  const db = new DatabaseSync(join(h.stateDir, 'state', 'openclaw.sqlite'));
  db.exec(`CREATE TABLE IF NOT EXISTS update_runs (run_id TEXT PRIMARY KEY, created_at_ms INTEGER,
    updated_at_ms INTEGER, trigger TEXT, phase TEXT, status TEXT, reason TEXT, origin_json TEXT)`);
  const origin = {
    driver: { host: hostname(), pid: driver.pid, startIdentity: String(driver.startTicks) },
  };
  db.prepare('INSERT INTO update_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    'run-1',
    Date.now(),
    Date.now(),
    'cli',
    phase,
    'running',
    null,
    JSON.stringify(origin),
  );
  db.close();
}

describe('OpenClaw at work on itself is left alone', () => {
  it("doctor's lock role: a gateway waiting for the lock (alive, not listening) is not restarted; status maintenance, exit 0", async () => {
    const h = await makeHome();
    h.configure({
      ...withFakeRestart(h.port, ['--state-dir', h.stateDir]),
      metrics: { textfile: join(h.dir, 'metrics.prom') },
    });
    doctorLock(h, await doctorProcess());
    // Started meanwhile: it waits for the lifecycle lock, without a listener (up to 300 s).
    const waiting = startFakeGateway(['--port', String(h.port), '--listen-after', '600000'], {
      env: h.own,
    }).pid!;
    await waitFor(() => readProc(waiting)?.title === 'openclaw-gateway', { what: 'titled' });
    for (let i = 0; i < 2; i++) {
      const r = await h.check(['--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'maintenance', actions: [] });
    }
    expect(isAlive(waiting)).toBe(true);
    expect(named(h, 'gateway_down')).toEqual([]);
    expect(named(h, 'gateway_restart')).toEqual([]);
    expect(named(h, 'waiting')).toEqual([expect.objectContaining({ reason: 'maintenance' })]);
    // Shown: status (from state, nothing read) and the metric.
    const status = JSON.parse((await runCli(['status', '--json'], h.env)).stdout);
    expect(status.openclaw.atWork).toMatchObject({ kind: 'maintenance', stuck: false });
    expect((await runCli(['status'], h.env)).stdout).toMatch(
      /maint +OpenClaw maintenance \(doctor\)/,
    );
    expect(readFileSync(join(h.dir, 'metrics.prom'), 'utf8')).toContain(
      'openclaw_watchdog_openclaw_at_work 1',
    );
  });

  it("doctor's lock role: a gateway that exited 78 meanwhile (the real one refuses its startup migrations) is not started until doctor is done, then started once", async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    const doctor = await doctorProcess();
    doctorLock(h, doctor);
    // No gateway at all: what a real 2026.9.6 gateway with a fresh state dir leaves behind when
    // it is started while doctor owns the state (exit 78, maintenance_required; test/real).
    for (let i = 0; i < 2; i++) {
      const r = await h.check(['--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'maintenance', actions: [] });
    }
    expect(await healthy(h.port)).toBe(false);
    expect(named(h, 'gateway_restart')).toEqual([]);
    // Doctor is done: its lock released, its process gone. The next check starts the gateway.
    rmSync(join(h.stateDir, 'tmp', `openclaw-${process.getuid!()}`, 'gateway.state.lock'));
    process.kill(doctor.pid, 'SIGKILL');
    await waitFor(() => !isAlive(doctor.pid), { what: 'doctor gone' });
    const r = await h.check(['--json']);
    expect(JSON.parse(r.stdout).restart).toMatchObject({ result: 'healthy' });
    expect(named(h, 'gateway_restart')).toHaveLength(1);
    expect(listener(h.port)).not.toBeNull();
  });

  it('past update.maxSec: update_stuck once, with OpenClaw guidance, then the usual rules', async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), update: { maxSec: 1 } });
    doctorLock(h, await doctorProcess());
    expect((await h.check()).code).toBe(0);
    // The stretch began long ago (as a later check finds it).
    const state = h.state();
    const since = Date.now() - 5000;
    writeFileSync(
      join(h.dir, 'state.json'),
      JSON.stringify({ ...state, maintenance: { kind: 'maintenance', since, stuckSaid: false } }),
    );
    await h.check();
    await h.check();
    const stuck = named(h, 'update_stuck');
    expect(stuck).toEqual([expect.objectContaining({ kind: 'maintenance', level: 'error' })]);
    expect(String(stuck[0]!.guidance)).toContain('openclaw gateway status --deep');
    expect(named(h, 'gateway_restart').length).toBeGreaterThanOrEqual(1);
  });

  it("past update.maxSec, doctor is still no gateway: its pid (the lock's) is never stopped, and a start refused by its lock names doctor, not `openclaw gateway stop`", async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), update: { maxSec: 1 } });
    // The lock's owner titled `openclaw` and young (what an OpenClaw CLI child is titled in its
    // first seconds; the real doctor retitles to `openclaw-doctor`, measured on 2026.9.6).
    const doctor = await doctorProcess(h.own);
    doctorLock(h, doctor);
    expect((await h.check()).code).toBe(0);
    const state = h.state();
    const since = Date.now() - 5000;
    writeFileSync(
      join(h.dir, 'state.json'),
      JSON.stringify({ ...state, maintenance: { kind: 'maintenance', since, stuckSaid: false } }),
    );
    const r = await h.check(['--json']);
    expect(named(h, 'update_stuck')).toHaveLength(1);
    expect(isAlive(doctor.pid)).toBe(true);
    expect(named(h, 'gateway_stopped')).toEqual([]);
    expect(JSON.parse(r.stdout).actions).not.toContainEqual(
      expect.objectContaining({ type: 'stop' }),
    );
    // Nothing of ours runs: a start, which the lock guard refuses (a gateway would exit 78).
    const impossible = named(h, 'restart_impossible');
    expect(impossible).toHaveLength(1);
    expect(String(impossible[0]!.error)).toContain('sqlite-maintenance');
    expect(String(impossible[0]!.fix)).not.toContain('gateway stop');
    expect(named(h, 'gateway_restart')).toEqual([]);
  });

  it("the user stopped the gateway, then ran doctor: doctor's run is no start of the gateway, so it stays stopped once doctor is done", async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    const gw = startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    // `openclaw gateway stop` (its lifecycle line, then SIGTERM), as test/user-stop.e2e.
    mkdirSync(join(h.stateDir, 'logs'), { recursive: true });
    writeFileSync(
      restartLogPath(h.stateDir),
      `[${new Date().toISOString()}] openclaw gateway lifecycle source=cli action=stop mode=sigterm pid=${gw.pid} interactive=0\n`,
    );
    process.kill(gw.pid!, 'SIGTERM');
    await waitFor(() => !isAlive(gw.pid!), { what: 'stopped' });
    expect(JSON.parse((await h.check(['--json'])).stdout).status).toBe('stopped');
    // Then OpenClaw's job (young, titled `openclaw`, the state database open, as the real doctor
    // holds it) holds the lifecycle lock for a while.
    mkdirSync(join(h.stateDir, 'state'), { recursive: true });
    const doctor = await doctorProcess(h.own, join(h.stateDir, 'state', 'openclaw.sqlite'));
    doctorLock(h, doctor);
    await h.check();
    rmSync(join(h.stateDir, 'tmp', `openclaw-${process.getuid!()}`, 'gateway.state.lock'));
    process.kill(doctor.pid, 'SIGKILL');
    await waitFor(() => !isAlive(doctor.pid), { what: 'doctor gone' });
    const r = JSON.parse((await h.check(['--json'])).stdout);
    expect(r.status).toBe('stopped');
    expect(named(h, 'gateway_restart')).toEqual([]);
    expect(listener(h.port)).toBeNull();
  });

  it('an update run with a live driver: status updating, nothing started; its driver dead: the usual rules', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const driver = await doctorProcess();
    updateRun(h, driver);
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ status: 'updating', actions: [] });
    expect(report.detail).toContain('run-1');
    expect(named(h, 'gateway_restart')).toEqual([]);
    process.kill(driver.pid, 'SIGKILL');
    await waitFor(() => !isAlive(driver.pid), { what: 'driver gone' });
    const after = JSON.parse((await h.check(['--json'])).stdout);
    expect(after.restart).toMatchObject({ result: 'healthy' });
  });

  it('a suspended gateway (gateway-suspending): never taken for stuck starting; left alone', async () => {
    const h = await makeHome();
    const token = 'suspend-token-1';
    h.configure(withFakeRestart(h.port));
    const pid = startFakeGateway(
      [
        '--port',
        String(h.port),
        '--state-dir',
        h.stateDir,
        '--token',
        token,
        '--suspended',
        'prepared',
      ],
      { env: h.own },
    ).pid!;
    await waitFor(
      async () =>
        (await import('../src/lib/probe/index.js'))
          .probeGateway({ host: '127.0.0.1', port: h.port, timeoutMs: 1000 })
          .then((p) => p.startup === 'draining'),
      { what: 'draining' },
    );
    for (let i = 0; i < 2; i++) {
      const r = await h.check(['--json'], { OPENCLAW_GATEWAY_TOKEN: token });
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'updating', actions: [] });
    }
    expect(isAlive(pid)).toBe(true);
    expect(named(h, 'gateway_hung')).toEqual([]);
    expect(await healthy(h.port)).toBe(false);
  });

  it('memory over the ceiling of a gateway that still answers, while an update runs with a live driver: no stop, status updating; once the run is over the memory rule acts again', async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), memory: CEILING });
    const args = ['--port', String(h.port), '--state-dir', h.stateDir, '--rss-mb', '200'];
    const pid = startFakeGateway([...args, '--rss-kept'], { env: h.own }).pid!;
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    // `openclaw update` staging the new version: the gateway keeps serving meanwhile (§11.2).
    const driver = await doctorProcess();
    updateRun(h, driver, 'staging');
    for (let i = 0; i < 2; i++) {
      const r = await h.check(['--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ status: 'updating', actions: [] });
      expect(report.detail).toContain('run-1 in phase staging');
    }
    expect(isAlive(pid)).toBe(true);
    expect(listener(h.port)).toBe(pid);
    expect(h.eventNames()).toEqual(['memory_high', 'waiting']);
    expect(named(h, 'waiting')).toEqual([expect.objectContaining({ reason: 'updating' })]);
    // The run is over: the memory rule acts again (a clean stop and a start).
    const db = new DatabaseSync(join(h.stateDir, 'state', 'openclaw.sqlite'));
    db.exec(`UPDATE update_runs SET status = 'succeeded', phase = 'finished'`);
    db.close();
    const r = await h.check(['--json']);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('degraded');
    expect(report.restart).toMatchObject({ result: 'healthy' });
    expect(named(h, 'gateway_restart')).toEqual([expect.objectContaining({ reason: 'memory' })]);
    await waitFor(() => !isAlive(pid), { what: 'the old gateway stopped' });
    expect(listener(h.port)).not.toBe(pid);
  });
});
