import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProc } from '../src/lib/procs/table.js';
import { tempDir } from './helpers/dirs.js';
import { healthy, listener } from './helpers/gateways.js';
import { answers } from './helpers/net.js';
import {
  FAKE_GATEWAY,
  isAlive,
  makeOrphans,
  start,
  startAtPid,
  startFakeGateway,
  track,
  waitFor,
} from './helpers/processes.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

const asRoot = process.getuid?.() === 0;
/** restart.command starts the fake gateway; no backoff, so that every check may restart. */
const noBackoff = (port: number, extra: Record<string, unknown> = {}) => {
  const settings = withFakeRestart(port, [], extra);
  return { ...settings, restart: { ...settings.restart, baseDelaySec: 0 } };
};
const lockFile = (h: Home) =>
  join(h.stateDir, 'tmp', `openclaw-${process.getuid!()}`, 'gateway.state.lock');
const writeLock = (h: Home, lock: Record<string, unknown>) => {
  mkdirSync(join(lockFile(h), '..'), { recursive: true });
  writeFileSync(lockFile(h), JSON.stringify(lock) + ' '.repeat(32));
};

/** Checks until one returns exit 0 (bounded). Returns every run's stderr. */
async function checkUntilHealthy(h: Home, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const stderr: string[] = [];
  await waitFor(
    async () => {
      const r = await h.check([], env);
      stderr.push(r.stderr);
      return r.code === 0 && (await healthy(h.port));
    },
    { what: 'a healthy gateway after checks', timeoutMs: 30_000, intervalMs: 200 },
  );
  return stderr;
}

describe('kill safety: real processes', () => {
  it('a healthy gateway under a launcher (openclaw-run.sh, adopted by init) is not reaped with its launcher', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { orphans: { minAgeSec: 0, killTimeoutSec: 1 } }));
    const dir = tempDir();
    const launcher = join(dir, 'openclaw-run.sh');
    // A launcher that stays the gateway's parent (no exec), started by the user, then orphaned.
    writeFileSync(
      launcher,
      `#!/bin/sh\n"${process.execPath}" "${FAKE_GATEWAY}" --port ${h.port}\n`,
      { mode: 0o755 },
    );
    start(
      process.execPath,
      [
        '-e',
        `require('child_process').spawn(${JSON.stringify(launcher)}, [], { detached: true, stdio: 'ignore' }).unref()`,
      ],
      { env: h.env },
    );
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const gateway = listener(h.port)!;
    const shell = track(readProc(gateway)!.ppid);
    expect(readFileSync(`/proc/${shell}/comm`, 'utf8').trim()).toBe('openclaw-run.sh');
    await waitFor(
      () => readProc(shell)?.ppid !== undefined && readProc(shell)!.ppid !== process.pid,
      {
        what: 'launcher adopted',
      },
    );
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(isAlive(shell)).toBe(true);
    expect(isAlive(gateway)).toBe(true);
    expect(h.eventNames()).not.toContain('orphans_reaped');
    expect(await healthy(h.port)).toBe(true);
  });

  it('a recorded spawned pid without a start time never matches: the process now holding that pid is left alone', async () => {
    const h = await makeHome();
    h.configure(noBackoff(h.port));
    // Some daemon of the user's (adopted by init) that now holds the recorded pid.
    const [decoy] = (await makeOrphans(['some-daemon'])) as [number];
    // What earlier versions saved when the spawned launcher had already exited.
    writeFileSync(
      join(h.dir, 'state.json'),
      JSON.stringify({
        version: 1,
        spawned: { pid: decoy, startTicks: null, at: 0, method: 'command' },
      }),
    );
    await checkUntilHealthy(h);
    expect(isAlive(decoy)).toBe(true);
    expect(h.eventNames()).not.toContain('gateway_stopped');
    // A pid is persisted only with its start time.
    const spawned = h.state().spawned as { pid: number | null; startTicks: number | null };
    expect(spawned.pid).not.toBeNull();
    expect(spawned.startTicks).toBe(readProc(spawned.pid!)?.startTicks);
  });

  it('a hung gateway is replaced with no `ps` on PATH: our own /proc walk, no stack trace', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { probe: { ...FAST.probe, startupGraceSec: 0 } }));
    const hung = startFakeGateway(['--port', String(h.port), '--children', 'openclaw-mcp-child'], {
      env: h.env,
    });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    process.kill(hung.pid!, 'SIGSTOP');
    const noPs = tempDir(); // an empty PATH: no ps, as in slim images
    const stderr = await checkUntilHealthy(h, { PATH: noPs });
    expect(stderr.join('')).not.toMatch(/ENOENT|\n\s+at /);
    expect(isAlive(hung.pid!)).toBe(false);
    const stopped = h.events().find((e) => e.event === 'gateway_stopped')!;
    expect(stopped.killed).toContain(hung.pid);
  });

  it("a stale gateway lock naming another profile's healthy gateway (pid reuse, or another port) is not ours", async () => {
    const a = await makeHome();
    a.configure(noBackoff(a.port));
    const b = await makeHome();
    const other = startFakeGateway(['--port', String(b.port), '--state-dir', b.stateDir], {
      env: b.env,
    }).pid!;
    await waitFor(() => healthy(b.port), { what: 'other gateway' });
    const ticks = readProc(other)!.startTicks;
    // 1: the pid was reused: the lock's start time is not the process's.
    writeLock(a, { pid: other, port: a.port, startTime: ticks - 1 });
    await checkUntilHealthy(a);
    expect(isAlive(other)).toBe(true);
    // 2: the start time matches, but that gateway listens on another port.
    process.kill(listener(a.port)!, 'SIGKILL');
    await waitFor(async () => !(await answers(a.port)), { what: 'a down' });
    writeLock(a, { pid: other, port: b.port, startTime: ticks });
    await checkUntilHealthy(a);
    expect(isAlive(other)).toBe(true);
    expect(await healthy(b.port)).toBe(true);
    expect(a.eventNames()).not.toContain('gateway_stopped');
  });

  it.skipIf(!asRoot)(
    "real pid reuse: our gateway dies by SIGKILL (its lock stays), another profile's gateway gets its pid",
    async () => {
      const a = await makeHome();
      a.configure(noBackoff(a.port));
      const b = await makeHome();
      const dead = startFakeGateway(['--port', String(a.port), '--state-dir', a.stateDir], {
        env: a.env,
      }).pid!;
      await waitFor(() => healthy(a.port), { what: 'gateway a' });
      process.kill(dead, 'SIGKILL');
      await waitFor(() => !isAlive(dead), { what: 'a dead' });
      expect(JSON.parse(readFileSync(lockFile(a), 'utf8'))).toMatchObject({ pid: dead });
      const reused = await startAtPid(
        dead,
        process.execPath,
        [FAKE_GATEWAY, '--port', String(b.port), '--state-dir', b.stateDir],
        { env: b.env },
      );
      if (!reused) return console.warn('skipped: the pid could not be reused on this busy host');
      await waitFor(() => healthy(b.port), { what: "b's gateway on a's old pid" });
      await checkUntilHealthy(a);
      expect(isAlive(dead)).toBe(true); // b's gateway, now holding that pid
      expect(await healthy(b.port)).toBe(true);
      expect(a.eventNames()).not.toContain('gateway_stopped');
    },
  );
  if (!asRoot) it.skip('real pid reuse: needs root for /proc/sys/kernel/ns_last_pid', () => {});

  it.skipIf(!asRoot)(
    "as root, another user's gateway on the port is a port conflict, never stopped",
    async () => {
      const h = await makeHome();
      h.configure(withFakeRestart(h.port));
      const foreign = start(process.execPath, [FAKE_GATEWAY, '--port', String(h.port)], {
        uid: 65534,
        gid: 65534,
        env: h.env,
      }).pid!;
      await waitFor(() => healthy(h.port), { what: 'foreign gateway' });
      process.kill(foreign, 'SIGSTOP'); // hung
      await waitFor(
        async () => {
          await h.check();
          return h.eventNames().some((n) => n === 'port_conflict' || n === 'gateway_hung');
        },
        { what: 'a decision', timeoutMs: 20_000, intervalMs: 200 },
      );
      expect(h.eventNames()).toContain('port_conflict');
      expect(isAlive(foreign)).toBe(true);
      expect(readProc(foreign)?.uid).toBe(65534);
    },
  );
  if (!asRoot)
    it.skip('another user on the port: needs root to start a process as another user', () => {});

  it('a title with spaces (exec -a "openclaw-tool --api-key=…") is logged by its first word only', async () => {
    const secret = 'sk-SECRET-in-title-123';
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { orphans: { minAgeSec: 0, killTimeoutSec: 1 } }));
    // An orphan whose title carries arguments.
    startFakeGateway(['--port', String(h.port)], { env: h.env });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const [orphan] = await makeOrphans([`openclaw-tool --api-key=${secret}`], { env: h.own });
    const r1 = await h.check(['--json']);
    expect(isAlive(orphan!)).toBe(false);
    const found = (JSON.parse(r1.stdout) as { orphans: { found: { pid: number; name: string }[] } })
      .orphans.found;
    expect(found.find((o) => o.pid === orphan)?.name).toBe('openclaw-tool');
    // A foreign program on the port, started with argv[0] carrying arguments.
    process.kill(listener(h.port)!, 'SIGKILL');
    await waitFor(async () => !(await answers(h.port)), { what: 'port free' });
    const foreign = start(
      process.execPath,
      ['-e', `require('http').createServer((q, s) => s.end('hi')).listen(${h.port}, '127.0.0.1')`],
      { argv0: `openclaw-tool --api-key=${secret}` },
    ).pid!;
    await waitFor(() => answers(h.port), { what: 'foreign server' });
    const r2 = await h.check(['--json']);
    const r3 = await h.check();
    expect(isAlive(foreign)).toBe(true);
    expect(h.events().find((e) => e.event === 'port_conflict')).toMatchObject({
      name: 'openclaw-tool',
    });
    const everything = [r1, r2, r3].map((r) => r.stdout + r.stderr).join('');
    expect(everything + readFileSync(join(h.dir, 'events.jsonl'), 'utf8')).not.toContain(secret);
  });
  it('a foreign program that took our port after ours was killed, then hung: a port_conflict, never signalled (soak seed 12)', async () => {
    const h = await makeHome();
    h.configure(noBackoff(h.port)); // every check may stop and restart
    // A check starts our gateway (state.spawned names it); it is killed.
    await checkUntilHealthy(h);
    const ours = listener(h.port)!;
    process.kill(ours, 'SIGKILL');
    await waitFor(() => listener(h.port) === null, { what: 'port free' });
    // A non-OpenClaw program takes the port (accepts, never answers), then hangs: a stopped
    // process keeps any signal but SIGKILL pending, where /proc shows it.
    const code = `require('net').createServer((c) => c.on('error', () => {})).listen(${h.port}, '127.0.0.1'); process.title = 'nginx'`;
    const foreign = start(process.execPath, ['-e', code], { env: h.env }).pid!;
    await waitFor(() => listener(h.port) === foreign, { what: 'foreign listener' });
    const born = readProc(foreign)!.startTicks;
    process.kill(foreign, 'SIGSTOP');
    const pending = () =>
      readFileSync(`/proc/${foreign}/status`, 'utf8')
        .split('\n')
        .filter((l) => /^(SigPnd|ShdPnd):/.test(l))
        .map((l) => l.split(/\s+/)[1]);
    const codes: (number | null)[] = [];
    await waitFor(
      async () => {
        codes.push((await h.check()).code);
        if (readProc(foreign)?.startTicks !== born) return true; // signalled: judged below
        return h.eventNames().includes('port_conflict') && codes.length >= 3;
      },
      { what: 'a port_conflict over three checks', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(readProc(foreign)?.startTicks).toBe(born);
    expect(pending()).toEqual(['0000000000000000', '0000000000000000']);
    expect(codes.every((c) => c === 1)).toBe(true);
    expect(h.eventNames()).not.toContain('gateway_hung');
  });
});
