import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../src/lib/status.js';
import { STOP_SLACK_MS } from '../src/lib/decide/on-purpose/user-stop.js';
import { restartLogPath } from '../src/lib/lifecycle/stop-marker.js';
import { runCli } from './helpers/cli.js';
import { healthy, listener } from './helpers/gateways.js';
import {
  FAKE_GATEWAY,
  isAlive,
  makeOrphans,
  startFakeGateway,
  waitFor,
} from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';

/** Events besides `channels_unchecked` (these homes have no gateway token: said once). */
const evs = (h: { events(): Record<string, unknown>[] }) =>
  h.events().filter((e) => e.event !== 'channels_unchecked');
const names = (h: { events(): Record<string, unknown>[] }) => evs(h).map((e) => String(e.event));

afterEach(cleanUp);

/** What `openclaw gateway stop` does without a service manager (§10): one line, then SIGTERM. */
function gatewayStop(h: Home, pid: number): number {
  const at = Date.now();
  stopLine(h, at, pid);
  process.kill(pid, 'SIGTERM');
  return at;
}

/** The `action=stop` line alone, dated `at`. */
function stopLine(h: Home, at: number, pid: number): void {
  mkdirSync(join(h.stateDir, 'logs'), { recursive: true });
  appendFileSync(
    restartLogPath(h.stateDir),
    `[${new Date(at).toISOString()}] openclaw gateway lifecycle source=cli action=stop mode=sigterm pid=${pid} interactive=0\n`,
  );
}

const status = async (h: Home) => {
  const r = await runCli(['status', '--json'], h.env);
  return { code: r.code, report: JSON.parse(r.stdout) as StatusReport };
};

describe('a stop the user meant', () => {
  it('openclaw gateway stop: not restarted, said once, exit 0; started again → supervised; its later crash is restarted', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const gw = startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);

    const stoppedAt = gatewayStop(h, gw.pid!);
    await waitFor(() => !isAlive(gw.pid!), { what: 'stopped' });
    // A helper of the stopped gateway, left behind: the stop does not reap it either.
    const [orphan] = await makeOrphans(['openclaw-mcp-child'], { env: h.own });
    for (let i = 0; i < 3; i++) {
      const r = await h.check();
      expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    expect(listener(h.port)).toBeNull();
    expect(isAlive(orphan!)).toBe(true);
    expect(names(h)).toEqual(['gateway_stopped_by_user']);
    expect(evs(h)[0]).toMatchObject({ source: 'openclaw', pid: gw.pid, level: 'warn' });
    expect(h.state()).toMatchObject({ lastVerdict: 'refused', incident: null });

    const s = await status(h);
    expect(s.code).toBe(0);
    expect(s.report.gateway.state).toBe('stopped');
    expect(s.report.stoppedByUser).toMatchObject({ source: 'openclaw', pid: gw.pid });
    const text = await runCli(['status'], h.env);
    expect(text.stdout).toMatch(/^gateway {3}STOPPED /m);
    expect(text.stdout).toMatch(
      /^stopped {3}by the user .*\(openclaw gateway stop\); not restarted/m,
    );

    // The user starts it again by hand (no lifecycle line): supervision resumes by itself. The
    // fake boots at once; a real gateway takes 8 s or more, well past the stop's slack.
    await waitFor(() => Date.now() > stoppedAt + STOP_SLACK_MS, { what: 'past the slack' });
    const again = startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'started again' });
    expect((await h.check()).code).toBe(0);
    process.kill(again.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(again.pid!), { what: 'crash' });
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).restart).toMatchObject({ result: 'healthy' });
    expect(names(h).slice(1)).toEqual([
      'gateway_down',
      'orphans_reaped',
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect((await status(h)).report.stoppedByUser).toBeNull();
  });

  it('a stopped gateway that drains for a while is never killed (startup grace 0)', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const gw = startFakeGateway(['--port', String(h.port), '--drain-ms', '4000'], {
      env: h.own,
    });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    gatewayStop(h, gw.pid!);
    const draining = await h.check(['--json']);
    expect(draining.code).toBe(0);
    const report = JSON.parse(draining.stdout);
    expect(report).toMatchObject({ status: 'stopped', actions: [] });
    expect(report.probe.verdict).toBe('starting'); // /startupz says draining
    expect(isAlive(gw.pid!)).toBe(true);
    await waitFor(() => !isAlive(gw.pid!), { what: 'drained', timeoutMs: 15_000 });
    expect((await h.check()).code).toBe(0);
    expect(names(h)).toEqual(['gateway_stopped_by_user']);
  });

  it('systemctl --user stop (unit inactive, Result=success): only `show` is run, no restart, until the unit runs again', async () => {
    const h = await makeHome(FAST);
    const unitDir = join(h.home, '.config', 'systemd', 'user');
    mkdirSync(unitDir, { recursive: true });
    writeFileSync(join(unitDir, 'openclaw-gateway.service'), '[Service]\nExecStart=/bin/false\n');
    const bin = join(h.home, 'bin');
    mkdirSync(bin);
    const record = join(h.home, 'systemctl.log');
    const show = join(h.home, 'show.txt');
    // Stand-in systemctl: records its arguments, prints show.txt for `show`; `restart` starts the
    // fake gateway.
    writeFileSync(
      join(bin, 'systemctl'),
      `#!/bin/sh
echo "$*" >> ${record}
case "$*" in
  *show*) cat ${show} ;;
  *" restart "*) nohup ${process.execPath} ${FAKE_GATEWAY} --port ${h.port} >/dev/null 2>&1 & ;;
esac
exit 0
`,
      { mode: 0o755 },
    );
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    writeFileSync(show, 'ActiveState=active\nResult=success\nInactiveEnterTimestampMonotonic=0\n');
    const gw = startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check([], env)).code).toBe(0);
    expect(() => readFileSync(record)).toThrow(); // a healthy check never asks systemd

    // systemctl --user stop: the unit goes inactive now (CLOCK_MONOTONIC, as systemd records it).
    process.kill(gw.pid!, 'SIGTERM');
    await waitFor(() => !isAlive(gw.pid!), { what: 'stopped' });
    const mono = process.hrtime.bigint() / 1000n;
    writeFileSync(
      show,
      `ActiveState=inactive\nResult=success\nInactiveEnterTimestampMonotonic=${mono}\n`,
    );
    for (let i = 0; i < 2; i++) expect((await h.check([], env)).code).toBe(0);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toEqual([
      '--user show openclaw-gateway.service --property=ActiveState,Result,InactiveEnterTimestampMonotonic',
      '--user show openclaw-gateway.service --property=ActiveState,Result,InactiveEnterTimestampMonotonic',
    ]);
    expect(names(h)).toEqual(['gateway_stopped_by_user']);
    expect(evs(h)[0]).toMatchObject({ source: 'systemd', pid: null });

    // Started again (systemctl --user start), then it crashes and systemd waits to restart it.
    const again = startFakeGateway(['--port', String(h.port)], { env: h.own });
    writeFileSync(
      show,
      `ActiveState=active\nResult=success\nInactiveEnterTimestampMonotonic=${mono}\n`,
    );
    await waitFor(() => healthy(h.port), { what: 'started again' });
    expect((await h.check([], env)).code).toBe(0);
    process.kill(again.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(again.pid!), { what: 'crash' });
    writeFileSync(
      show,
      `ActiveState=activating\nResult=signal\nInactiveEnterTimestampMonotonic=${mono}\n`,
    );
    expect((await h.check([], env)).code).toBe(0);
    expect(readFileSync(record, 'utf8')).toContain('--user restart openclaw-gateway.service');
    expect(names(h)).toContain('gateway_restart');
    expect(await healthy(h.port)).toBe(true);
  });

  it('an old stop with no record of a start (fresh state) does not keep the crashed gateway down', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    // Stopped 3 days ago; started by hand since (`gateway run` writes no lifecycle line); crashed.
    stopLine(h, Date.now() - 3 * 86_400_000, 4242);
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'down' });
    expect(JSON.parse(r.stdout).restart).toMatchObject({ result: 'healthy' });
    expect(names(h)).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
    expect((await status(h)).report.stoppedByUser).toBeNull();
  });

  it('a recent stop, then a gateway started by hand that crashed (its lock left behind): restarted', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const stoppedAt = Date.now() - 60_000;
    stopLine(h, stoppedAt, 4242);
    // Without the lock, that recent stop is a stop (no start known, within the bound).
    expect(JSON.parse((await h.check(['--json'])).stdout)).toMatchObject({ status: 'stopped' });
    const gw = startFakeGateway(['--port', String(h.port), '--state-dir', h.stateDir], {
      env: h.own,
    });
    await waitFor(() => healthy(h.port), { what: 'started by hand' });
    process.kill(gw.pid!, 'SIGKILL'); // before any check saw it: only its lock says it ran
    await waitFor(() => !isAlive(gw.pid!), { what: 'crash' });
    const r = await h.check(['--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'down' });
    expect(JSON.parse(r.stdout).restart).toMatchObject({ result: 'healthy' });
  });
});
