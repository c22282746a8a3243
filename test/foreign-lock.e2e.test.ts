// Review 1 of e9668c6: reproductions of defects found by running the built dist (npm run build).
// Each fails on e9668c6 and should pass once the defect is fixed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { healthy, listener } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { tempDir } from './helpers/dirs.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';

afterEach(cleanUp);

const uid = process.getuid!();
const lockOf = (stateDir: string) => join(stateDir, 'tmp', `openclaw-${uid}`, 'gateway.state.lock');

describe('review1: the gateway lock of this state dir is read safely and proves nothing by itself', () => {
  it('a FIFO at <state dir>/tmp/openclaw-<uid>/gateway.state.lock: check ends (it hangs forever, SIGTERM-proof, before the check lock)', async () => {
    const h = await makeHome({ ...FAST });
    const env = { ...h.env };
    delete env.OPENCLAW_GATEWAY_PORT; // zero config: the port comes from the lock (lock-port.ts)
    mkdirSync(join(h.stateDir, 'tmp', `openclaw-${uid}`), { recursive: true });
    execFileSync('mkfifo', [lockOf(h.stateDir)]);
    const check = await runCli(['check'], env, 30_000);
    expect(check.code).not.toBeNull();
    const status = await runCli(['status', '--json'], env, 30_000);
    expect(status.code).not.toBeNull();
  });

  it('a state dir copied while another profile’s gateway ran (its live lock inside): this watchdog never kills that gateway', async () => {
    // B: another profile's gateway, its own state dir, hangs 3 s after start.
    const other = join(tempDir(), '.openclaw-b');
    mkdirSync(other, { recursive: true });
    const port = await freePort();
    const gw = startFakeGateway(
      ['--port', String(port), '--state-dir', other, '--hang-after', '3000'],
      {
        env: { ...process.env, OPENCLAW_STATE_DIR: other },
      },
    );
    // Its lock written and it listening; then it hangs (however late a loaded machine looks).
    await waitFor(() => existsSync(lockOf(other)) && listener(port) === gw.pid, {
      what: 'B gateway',
    });
    // A: `cp -a ~/.openclaw-b ~/.openclaw` to make a second profile (zero config: no port anywhere).
    const h = await makeHome({ ...FAST });
    cpSync(join(other, 'tmp'), join(h.stateDir, 'tmp'), { recursive: true });
    expect(readFileSync(lockOf(h.stateDir), 'utf8')).toContain(String(gw.pid));
    const env = { ...h.env };
    delete env.OPENCLAW_GATEWAY_PORT;
    // B hangs; A's checks run as cron would.
    await waitFor(async () => !(await healthy(port)), { what: 'B hung' });
    for (let i = 0; i < 4; i++) await runCli(['check'], env, 60_000);
    expect(isAlive(gw.pid!)).toBe(true);
    expect(h.eventNames()).not.toContain('gateway_stopped');
  });
  it('a stale lock (our gateway crashed on P) and another profile’s gateway now on P: not reported as our healthy gateway', async () => {
    const other = join(tempDir(), '.openclaw-b');
    mkdirSync(other, { recursive: true });
    const port = await freePort();
    const h = await makeHome({ ...FAST });
    // Our gateway crashed: its lock (dead pid) names P. Zero config: no port anywhere else.
    mkdirSync(join(h.stateDir, 'tmp', `openclaw-${uid}`), { recursive: true });
    writeFileSync(
      lockOf(h.stateDir),
      JSON.stringify({
        pid: 999_999_999,
        port,
        startTime: 12345,
        createdAt: new Date().toISOString(),
      }),
    );
    const gw = startFakeGateway(['--port', String(port), '--state-dir', other], {
      env: { ...process.env, OPENCLAW_STATE_DIR: other },
    });
    await waitFor(() => healthy(port), { what: 'B gateway' });
    const env = { ...h.env };
    delete env.OPENCLAW_GATEWAY_PORT;
    const r = await runCli(['check', '--json'], env, 60_000);
    const report = JSON.parse(r.stdout) as { status: string };
    // B is provably another state dir's gateway (its lock, its OPENCLAW_STATE_DIR): ours is down.
    expect(report.status).not.toBe('healthy');
    const status = JSON.parse((await runCli(['status', '--json'], env, 60_000)).stdout) as {
      gateway: { pid: number | null };
    };
    expect(status.gateway.pid).not.toBe(gw.pid);
    // serve shares the path: its metrics say our gateway is not up.
    const textfile = join(h.home, 'm.prom');
    const serve = await runCli(['serve', '--textfile', textfile], env, 60_000);
    expect(serve.code, serve.stderr).toBe(0);
    const up = readFileSync(textfile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('openclaw_watchdog_gateway_up{'));
    expect(up).toMatch(/ 0$/);
  });
});
