import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  openSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './helpers/dirs.js';
import { healthy, listener } from './helpers/gateways.js';
import {
  CLI,
  isAlive,
  killTracked,
  markedPids,
  startFakeGateway,
  track,
  waitFor,
} from './helpers/processes.js';
import { startReceiver, closeReceivers, keepReceiver } from './helpers/receiver.js';
import {
  ageCheckLock,
  FAST,
  fakeGatewayCommand,
  makeHome,
  withFakeRestart,
} from './helpers/watchdog-home.js';
import { readProc } from '../src/lib/procs/table.js';

const mounts: string[] = [];
afterEach(async () => {
  killTracked();
  for (const dir of mounts.splice(0)) spawnSync('umount', ['-l', dir]);
  await closeReceivers();
  removeTempDirs();
});

const gatewayPids = () => markedPids().filter((pid) => readProc(pid)?.title === 'openclaw-gateway');

/** A signal is pending for a process (it is stopped, so it has not handled it yet). */
function pending(pid: number, signal: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const masks = [...status.matchAll(/^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$/gm)].map((m) =>
      BigInt(`0x${m[1]}`),
    );
    return masks.some((mask) => (mask & (1n << BigInt(signal - 1))) !== 0n);
  } catch {
    return false;
  }
}

/** Gets a gateway hung (SIGSTOP) and the saved state to the point where the next check kills it. */
async function hungGateway(h: Awaited<ReturnType<typeof makeHome>>) {
  const hung = startFakeGateway(['--port', String(h.port)], { env: h.own });
  await waitFor(() => healthy(h.port), { what: 'gateway' });
  expect((await h.check()).code).toBe(0);
  process.kill(hung.pid!, 'SIGSTOP');
  expect((await h.check()).code).toBe(1); // unresponsive: the hung clock starts
  await waitFor(async () => (await h.check(['--dry-run'])).stdout.startsWith('hung:'), {
    what: 'probe.hungAfterSec to pass',
  });
  return hung.pid!;
}

describe('a stalled check whose lock was taken over', () => {
  it('stops before any further kill or spawn: one restart, one gateway; it logs only lock_lost, in order', async () => {
    const h = await makeHome();
    h.configure({
      ...FAST,
      restart: { ...FAST.restart, stopTimeoutSec: 4, command: fakeGatewayCommand(h.port) },
    });
    const hung = await hungGateway(h);
    // The first check: SIGSTOPped while it waits for the hung gateway to take its SIGTERM.
    const first = spawn(process.execPath, [CLI, 'check'], { env: h.env, stdio: 'ignore' });
    track(first.pid);
    const firstDone = new Promise((resolve) => first.on('close', resolve));
    await waitFor(() => pending(hung, 15), { what: 'SIGTERM sent by the first check' });
    process.kill(first.pid!, 'SIGSTOP');
    // Past lock.staleSec (its lock dated back: the stopped check refreshes it no more) a second
    // check takes over, stops the gateway and restarts it. Dated again before each try: a refresh
    // the first check had under way as it was stopped may still land.
    const second = await waitFor(
      async () => {
        ageCheckLock(h);
        const r = await h.check();
        return r.code === 75 ? null : r;
      },
      { what: 'lock takeover', timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(second.code).toBe(0);
    expect(await healthy(h.port)).toBe(true);
    const replacement = listener(h.port);
    // The first check resumes: it must not reap, spawn or kill any more.
    process.kill(first.pid!, 'SIGCONT');
    await firstDone;
    expect(h.eventNames().filter((n) => n === 'gateway_restart')).toHaveLength(1);
    // Counted once, by the check that started it (the lock_lost line counts nothing).
    const counters = JSON.parse(readFileSync(join(h.dir, 'counters.json'), 'utf8')) as {
      restarts: Record<string, number>;
    };
    expect(Object.values(counters.restarts)).toEqual([1]);
    expect(h.events().find((e) => e.event === 'lock_lost')).toMatchObject({
      level: 'warn',
      skipped: ['reap-orphans', 'restart'],
      did: expect.any(Array),
    });
    // Its own events (older than the new holder's) are not appended after them: the log stays in
    // time order, and the hang it saw is logged once, by the check that acted on it.
    const times = h.events().map((e) => Date.parse(String(e.ts)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(h.eventNames().filter((n) => n === 'gateway_hung')).toHaveLength(1);
    expect(h.eventNames().at(-1)).toBe('lock_lost');
    expect(gatewayPids()).toEqual([replacement]);
    expect(readFileSync(join(h.dir, 'gateway.log'), 'utf8')).not.toMatch(/EADDRINUSE/);
    expect((await h.check()).code).toBe(0);
  });

  it('a plain file named check.lock, stale: taken over, the check runs', async () => {
    const h = await makeHome(FAST);
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    writeFileSync(join(h.dir, 'check.lock'), '');
    const past = new Date(Date.now() - 3600_000);
    utimesSync(join(h.dir, 'check.lock'), past, past);
    expect(await h.check()).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe('wall-clock jumps', () => {
  it('the state carries the boot-time clock; +1 h on the wall clock between checks is not "hung"', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { probe: { ...FAST.probe, hungAfterSec: 60 } }));
    const gw = startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    process.kill(gw.pid!, 'SIGSTOP');
    expect((await h.check()).code).toBe(1);
    const saved = h.state() as Record<string, number | null> & { clock: unknown };
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    expect(saved.clock).toEqual({ bootId, uptimeMs: expect.any(Number) });
    // As if the wall clock had jumped 1 h forward since that check: every saved wall time is 1 h
    // earlier, the boot-time clock is as it was.
    const hour = 3600_000;
    const shifted = {
      ...saved,
      lastCheckAt: saved.lastCheckAt! - hour,
      unresponsiveSince: saved.unresponsiveSince! - hour,
      unhealthySince: saved.unhealthySince! - hour,
    };
    writeFileSync(join(h.dir, 'state.json'), JSON.stringify(shifted));
    const r = await h.check(['--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'unresponsive' });
    expect(JSON.parse(r.stdout).detail).toMatch(/^unresponsive for \d/);
    expect(isAlive(gw.pid!)).toBe(true);
    expect(h.eventNames()).not.toContain('gateway_hung');
  });
});

/** A tmpfs of fixed size needs mount, that is root (CI runs as root) and a mount-capable container. */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = tempDir();
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0;
  if (ok) spawnSync('umount', [dir]);
  return ok;
}
const mountable = canMountTmpfs();

describe('a full disk', () => {
  it.skipIf(!mountable)(
    `${mountable ? '' : '[skipped: needs root and mount, for a tmpfs of fixed size] '}one restart, then backoff holds: state rewritten in place, record_failed said and alerted, exit clean`,
    async () => {
      const hook = await startReceiver();
      keepReceiver(hook);
      const h = await makeHome();
      const config = withFakeRestart(h.port, [], {
        notify: { webhooks: [{ url: hook.url, format: 'json' }] },
      });
      const mounted = spawnSync('mount', [
        '-t',
        'tmpfs',
        '-o',
        'size=256k,mode=0700',
        'tmpfs',
        h.dir,
      ]);
      expect(mounted.status, String(mounted.stderr)).toBe(0);
      mounts.push(h.dir);
      h.configure(config);
      const first = startFakeGateway(['--port', String(h.port)], { env: h.own });
      await waitFor(() => healthy(h.port), { what: 'gateway' });
      expect((await h.check()).code).toBe(0); // writes state.json
      // That check said once that channels need a token: an event log with room left in its last
      // page would take the next lines even on a full disk. Start it afresh.
      rmSync(join(h.dir, 'events.jsonl'), { force: true });
      // Fill the disk.
      const fd = openSync(join(h.dir, 'filler'), 'w');
      try {
        for (;;) writeSync(fd, Buffer.alloc(4096, 1));
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(fd);
      }
      process.kill(first.pid!, 'SIGKILL');
      await waitFor(() => !isAlive(first.pid!), { what: 'crash' });
      const r = await h.check(['--json']);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
      expect(r.stderr).toMatch(/could not record events: .*ENOSPC/);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.restart).toMatchObject({ result: 'healthy' });
      const alerted = hook.requests.map((q) => (q.body as { event: string }).event);
      expect(alerted).toEqual(expect.arrayContaining(['gateway_restart', 'record_failed']));
      expect(h.state()).toMatchObject({ restarts: { consecutive: 1 } });
      // The gateway dies again: the next check defers per backoff rather than restarting again.
      const second = listener(h.port)!;
      process.kill(second, 'SIGKILL');
      await waitFor(() => !isAlive(second), { what: 'second crash' });
      const again = await h.check(['--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ status: 'deferred' });
      expect(JSON.parse(again.stdout).restart).toBeUndefined();
      expect(listener(h.port)).toBeNull();
    },
  );
});
