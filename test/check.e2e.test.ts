import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLI,
  FAKE_GATEWAY,
  ROOT,
  isAlive,
  markedPids,
  start,
  startFakeGateway,
  track,
  waitFor,
} from './helpers/processes.js';
import { answers } from './helpers/net.js';
import { listener, healthy } from './helpers/gateways.js';
import {
  ageCheckLock,
  BAD_CONFIG_FLAGS,
  FAST,
  makeHome,
  withFakeRestart,
} from './helpers/watchdog-home.js';
import { readProc } from '../src/lib/procs/table.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

describe('check: real processes', () => {
  it('a healthy gateway: exit 0, prints nothing, records the check', async () => {
    const h = await makeHome(FAST);
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const r = await h.check();
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(h.state()).toMatchObject({ version: 1, lastVerdict: 'healthy' });
  });

  it('crash → restarted by restart.command, healthy, events down/restart/recovered', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const first = startFakeGateway(['--port', String(h.port), '--crash-after', '300'], {
      env: h.own,
    });
    await waitFor(() => !isAlive(first.pid!), { what: 'crash' });
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.restart).toMatchObject({ method: 'command', result: 'healthy' });
    expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
    for (const e of h.events())
      expect(String(e.ts)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await healthy(h.port)).toBe(true);
    expect(listener(h.port)).toBe(report.restart.pid);
    // The spawned gateway holds no lock: the next check takes it and finds all healthy.
    expect((await h.check()).code).toBe(0);
  });

  it('SIGSTOP hang → SIGTERM, SIGKILL, replaced (timers shortened through config)', async () => {
    const h = await makeHome();
    // The default startup grace (120 s): a young gateway that answered once, then hangs, is hung.
    h.configure(withFakeRestart(h.port, [], { probe: { ...FAST.probe, startupGraceSec: 120 } }));
    const hung = startFakeGateway(['--port', String(h.port), '--children', 'openclaw-mcp-child'], {
      env: h.own,
    });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    process.kill(hung.pid!, 'SIGSTOP');
    // Quiet under cron: a check that only waits (unresponsive, not yet hung) prints nothing; the
    // check that stops and restarts it prints one line, as a crash fixed by a restart does.
    const first = await h.check();
    expect(first).toMatchObject({ code: 1, stdout: '', stderr: '' });
    const lines: string[] = [];
    const replaced = await waitFor(
      async () => {
        const r = await h.check();
        if (r.stderr) lines.push(r.stderr);
        return r.code === 0 ? true : null;
      },
      { what: 'replacement', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(replaced).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^openclaw-watchdog: hung: unresponsive for [\d.]+ s; restarted \(command, pid \d+\), healthy after [\d.]+ s\n$/,
    );
    expect(isAlive(hung.pid!)).toBe(false);
    expect(h.eventNames()).toEqual(
      expect.arrayContaining([
        'gateway_unresponsive',
        'gateway_hung',
        'gateway_stopped',
        'gateway_restart',
        'gateway_recovered',
      ]),
    );
    const stopped = h.events().find((e) => e.event === 'gateway_stopped')!;
    expect(stopped.killed).toContain(hung.pid);
    expect(await healthy(h.port)).toBe(true);
  });

  it('slow start → never killed, however many checks run', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { probe: { ...FAST.probe, startupGraceSec: 60 } }));
    // This watchdog's gateway (its environment names this port), not yet listening.
    const slow = startFakeGateway(
      ['--port', String(h.port), '--listen-after', '2500', '--ready-after', '4000'],
      { env: h.env },
    );
    await waitFor(() => readProc(slow.pid!)?.title === 'openclaw-gateway', {
      what: 'gateway title',
    });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await h.check()).code ?? -1);
    await waitFor(() => answers(h.port), { what: 'listening' });
    codes.push((await h.check()).code ?? -1);
    await waitFor(() => healthy(h.port), { what: 'ready', timeoutMs: 10_000 });
    codes.push((await h.check()).code ?? -1);
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    expect(isAlive(slow.pid!)).toBe(true);
    expect(h.eventNames()).not.toContain('gateway_restart');
  });

  it('instant-exit command → restart_failed with its exit code and output, then deferred', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, BAD_CONFIG_FLAGS));
    const r = await h.check();
    expect(r.code).toBe(1);
    const failed = h.events().find((e) => e.event === 'restart_failed')!;
    expect(failed).toMatchObject({ exitCode: 78, method: 'command' });
    expect(failed.output).toContain('Invalid config at /x/openclaw.json');
    expect(failed.hint).toMatch(/configuration trouble/);
    const again = await h.check();
    expect(again.code).toBe(1);
    expect(h.eventNames().slice(-2)).toEqual(['restart_deferred', 'waiting']);
    expect(h.events().at(-1)).toMatchObject({ event: 'waiting', reason: 'backoff' });
    expect(h.eventNames().filter((n) => n === 'gateway_restart')).toHaveLength(1);
  });

  it('8 concurrent checks → exactly one gateway and one gateway_restart', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { lock: { staleSec: 30 } }));
    const runs = await Promise.all(Array.from({ length: 8 }, () => h.check()));
    const codes = runs.map((r) => r.code).sort();
    expect(codes.every((c) => c === 0 || c === 75)).toBe(true);
    expect(h.eventNames().filter((n) => n === 'gateway_restart')).toHaveLength(1);
    expect(await healthy(h.port)).toBe(true);
    const gateways = readFileSync(join(h.dir, 'gateway.log'), 'utf8').match(/EADDRINUSE/g);
    expect(gateways).toBeNull();
    // One line, from the check that restarted it (check-line.ts); the busy ones say nothing.
    const said = runs.map((r) => r.stdout + r.stderr).filter(Boolean);
    expect(said).toEqual([expect.stringMatching(/^openclaw-watchdog: down: .*; restarted \(/)]);
  });

  it('a non-OpenClaw server on the port → left alone, port_conflict with its pid, exit 1', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const foreign = start(process.execPath, [
      '-e',
      `require('http').createServer((q, s) => s.end('hi')).listen(${h.port}, '127.0.0.1')`,
    ]);
    await waitFor(() => answers(h.port), { what: 'foreign server' });
    for (let i = 0; i < 2; i++) expect((await h.check()).code).toBe(1);
    expect(isAlive(foreign.pid!)).toBe(true);
    const conflicts = h.events().filter((e) => e.event === 'port_conflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ pid: foreign.pid, name: process.execPath });
    expect(h.eventNames()).not.toContain('gateway_restart');
  });

  it('a torn state file → logged, replaced, and the check still works', async () => {
    const h = await makeHome(FAST);
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    writeFileSync(join(h.dir, 'state.json'), '{"version":1,"lastCh');
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(h.events()[0]).toMatchObject({ event: 'state_reset', level: 'warn' });
    expect(h.state()).toMatchObject({ version: 1, lastVerdict: 'healthy' });
  });

  it('a check SIGKILLed mid-restart → the next check finishes the job', async () => {
    const h = await makeHome();
    const probe = { ...FAST.probe, startupGraceSec: 60 };
    h.configure(withFakeRestart(h.port, ['--listen-after', '1500'], { probe }));
    const check = spawn(process.execPath, [CLI, 'check'], { env: h.env, stdio: 'ignore' });
    track(check.pid);
    // Killed once the gateway it spawned exists (it is booting: it listens only after 1.5 s).
    const booting = () => markedPids().filter((pid) => readProc(pid)?.title === 'openclaw-gateway');
    await waitFor(() => booting().length === 1, { what: 'restart under way' });
    check.kill('SIGKILL');
    await waitFor(() => !isAlive(check.pid!), { what: 'check killed' });
    // Its lock is fresh for lock.staleSec: the next check is busy.
    expect((await h.check()).code).toBe(75);
    // Past lock.staleSec (nobody refreshes it now) the next check takes over and sees a booting
    // gateway.
    ageCheckLock(h);
    const next = await h.check();
    expect(next.code).toBe(0);
    await waitFor(() => healthy(h.port), { what: 'healthy' });
    expect((await h.check()).code).toBe(0);
    expect(h.eventNames()).toContain('lock_busy');
    // The killed check's restart is in the log (recorded before its verify wait, issue 24 #2);
    // the next check started none of its own.
    expect(h.eventNames().filter((e) => e === 'gateway_restart')).toHaveLength(1);
    expect(booting()).toHaveLength(1);
  });

  it('--dry-run decides and changes nothing', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const r = await h.check(['--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^down: nothing listens on the port\nwould: restart \(crashed\)/);
    expect(h.events()).toEqual([]);
    expect(await answers(h.port)).toBe(false);
  });
});

describe('check: restart methods', () => {
  it('`openclaw gateway run --port N --bind loopback`, found in ~/.npm-global/bin under a bare PATH; supervisor markers stripped', async () => {
    const h = await makeHome(FAST);
    const bin = join(h.home, '.npm-global', 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(join(ROOT, 'test', 'fixtures', 'openclaw-cli.mjs'), join(bin, 'openclaw'));
    const argsFile = join(h.home, 'args.json');
    const envFile = join(h.home, 'env.json');
    const r = await h.check([], {
      PATH: '/usr/bin:/bin',
      FAKE_OPENCLAW_ARGS_FILE: argsFile,
      FAKE_GATEWAY_FLAGS: `--env-file ${envFile}`,
      INVOCATION_ID: 'x',
      JOURNAL_STREAM: '8:1',
      SYSTEMD_EXEC_PID: '1',
      OPENCLAW_SYSTEMD_UNIT: 'u',
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(argsFile, 'utf8'))).toEqual([
      'gateway',
      'run',
      '--port',
      String(h.port),
      '--bind',
      'loopback',
    ]);
    const env = JSON.parse(readFileSync(envFile, 'utf8'));
    for (const name of [
      'INVOCATION_ID',
      'JOURNAL_STREAM',
      'SYSTEMD_EXEC_PID',
      'OPENCLAW_SYSTEMD_UNIT',
    ])
      expect(env).not.toHaveProperty(name);
    expect(env.PATH.split(':')[0]).toBe(bin);
    expect(h.events().find((e) => e.event === 'gateway_restart')).toMatchObject({
      method: 'openclaw',
    });
  });

  it('the systemd user unit: reset-failed after a start-limit hit, then restart, with cron-less XDG/DBUS set', async () => {
    const h = await makeHome(FAST, undefined);
    const unitDir = join(h.home, '.config', 'systemd', 'user');
    mkdirSync(unitDir, { recursive: true });
    writeFileSync(join(unitDir, 'openclaw-gateway.service'), '[Service]\nExecStart=/bin/false\n');
    const bin = join(h.home, 'bin');
    mkdirSync(bin);
    const record = join(h.home, 'systemctl.log');
    // Stand-in systemctl: records its arguments and environment; `restart` starts the fake gateway.
    writeFileSync(
      join(bin, 'systemctl'),
      `#!/bin/sh
echo "$* | XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR DBUS=$DBUS_SESSION_BUS_ADDRESS" >> ${record}
case "$*" in
  *show*) echo "ActiveState=failed"; echo "Result=start-limit-hit" ;;
  *" restart "*) nohup ${process.execPath} ${FAKE_GATEWAY} --port ${h.port} >/dev/null 2>&1 & ;;
esac
exit 0
`,
      { mode: 0o755 },
    );
    const r = await h.check([], { PATH: `${bin}:/usr/bin:/bin` });
    expect(r.code).toBe(0);
    const lines = readFileSync(record, 'utf8').trim().split('\n');
    const uid = process.getuid!();
    expect(lines.map((l) => l.split(' | ')[0])).toEqual([
      // Not healthy: was the unit stopped on purpose? (failed: no.)
      '--user show openclaw-gateway.service --property=ActiveState,Result,InactiveEnterTimestampMonotonic',
      '--user show openclaw-gateway.service --property=ActiveState,Result',
      '--user reset-failed openclaw-gateway.service',
      '--user restart openclaw-gateway.service',
    ]);
    expect(lines[3]).toContain(
      `XDG_RUNTIME_DIR=/run/user/${uid} DBUS=unix:path=/run/user/${uid}/bus`,
    );
    expect(h.events().find((e) => e.event === 'gateway_restart')).toMatchObject({
      method: 'systemd',
    });
    expect(await healthy(h.port)).toBe(true);
  });
});
