import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/load.js';
import { lockPort } from '../../../src/lib/config/lock-port.js';
import { gatewayLockPath } from '../../../src/lib/procs/gateway-lock.js';
import { tempDir } from '../../helpers/dirs.js';
import { start, waitFor } from '../../helpers/processes.js';
import { cleanUp } from '../../helpers/teardown.js';

afterEach(cleanUp);

const ticksOf = (pid: number | 'self') => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
};
const selfTicks = () => ticksOf('self');

/** A live process of this user whose environment names `stateDir` (as a gateway's would). */
async function processOf(stateDir: string): Promise<{ pid: number; startTime: number }> {
  const child = start('sleep', ['300'], { env: { ...process.env, OPENCLAW_STATE_DIR: stateDir } });
  const pid = child.pid!;
  await waitFor(() => readFileSync(`/proc/${pid}/cmdline`, 'latin1').startsWith('sleep'), {
    what: 'sleep exec',
  });
  return { pid, startTime: ticksOf(pid) };
}

/** A HOME whose ~/.openclaw holds openclaw.json (no port) and a gateway lock. */
function homeWithLock(
  lock: Record<string, unknown> | null,
  openclaw = "{ gateway: { mode: 'local' } }",
  home = tempDir(),
) {
  const stateDir = join(home, '.openclaw');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'openclaw.json'), openclaw);
  if (lock) {
    const file = gatewayLockPath(stateDir, process.getuid!());
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(lock) + ' '.repeat(64));
  }
  return { home, stateDir };
}

describe('the port from the gateway lock (a gateway started with --port only)', () => {
  it('a live lock of this state dir names the port when nothing else sets it', async () => {
    const home = tempDir();
    const proc = await processOf(join(home, '.openclaw'));
    const { stateDir } = homeWithLock({ ...proc, port: 19203 }, undefined, home);
    expect(lockPort(stateDir)).toEqual({ port: 19203, live: true });
    const config = loadConfig({}, { HOME: home });
    expect(config).toMatchObject({ port: 19203, portSource: 'gateway-lock' });
  });

  it('a lock left by a crash still names the port the state dir’s gateway last ran on', () => {
    const { home, stateDir } = homeWithLock({ pid: 2 ** 22 + 7, port: 19204, startTime: 1 });
    expect(lockPort(stateDir)).toEqual({ port: 19204, live: false });
    expect(loadConfig({}, { HOME: home })).toMatchObject({
      port: 19204,
      portSource: 'gateway-lock',
    });
  });

  it('anything that sets the port wins: the env, openclaw.json, the watchdog config', () => {
    const lock = { pid: process.pid, port: 19203, startTime: selfTicks() };
    const a = homeWithLock(lock);
    expect(loadConfig({}, { HOME: a.home, OPENCLAW_GATEWAY_PORT: '19300' }).port).toBe(19300);
    const b = homeWithLock(lock, "{ gateway: { mode: 'local', port: 19301 } }");
    expect(loadConfig({}, { HOME: b.home }).port).toBe(19301);
  });

  it('a lock naming another state dir’s live gateway (copied from it): its port, never live', async () => {
    const other = join(tempDir(), '.openclaw-b');
    const proc = await processOf(other);
    const { stateDir } = homeWithLock({ ...proc, port: 19205 });
    expect(lockPort(stateDir)).toEqual({ port: 19205, live: false });
  });

  it('a symlink to another state dir’s lock, or a FIFO at its name: no lock (never followed, never waited on)', async () => {
    const other = homeWithLock({ pid: process.pid, port: 19206, startTime: selfTicks() });
    const linked = homeWithLock(null);
    const file = gatewayLockPath(linked.stateDir, process.getuid!());
    mkdirSync(join(file, '..'), { recursive: true });
    symlinkSync(gatewayLockPath(other.stateDir, process.getuid!()), file);
    expect(lockPort(linked.stateDir)).toBeNull();
    const fifo = homeWithLock(null);
    const fifoFile = gatewayLockPath(fifo.stateDir, process.getuid!());
    mkdirSync(join(fifoFile, '..'), { recursive: true });
    execFileSync('mkfifo', [fifoFile]);
    expect(lockPort(fifo.stateDir)).toBeNull();
    expect(loadConfig({}, { HOME: fifo.home }).portSource).toBe('default');
  });

  it('no lock, a torn lock, or one without a port: the default', () => {
    expect(loadConfig({}, { HOME: homeWithLock(null).home }).port).toBe(18789);
    expect(loadConfig({}, { HOME: homeWithLock({ pid: 1 }).home }).port).toBe(18789);
    const torn = homeWithLock(null);
    const file = gatewayLockPath(torn.stateDir, process.getuid!());
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '{"pid": 12, "po');
    expect(loadConfig({}, { HOME: torn.home }).portSource).toBe('default');
  });
});
