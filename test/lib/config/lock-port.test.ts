import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/load.js';
import { lockPort } from '../../../src/lib/config/lock-port.js';
import { gatewayLockPath } from '../../../src/lib/procs/gateway-lock.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const selfTicks = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
};

/** A HOME whose ~/.openclaw holds openclaw.json (no port) and a gateway lock. */
function homeWithLock(
  lock: Record<string, unknown> | null,
  openclaw = "{ gateway: { mode: 'local' } }",
) {
  const home = tempDir();
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
  it('a live lock of this state dir names the port when nothing else sets it', () => {
    const { home, stateDir } = homeWithLock({
      pid: process.pid,
      port: 19203,
      startTime: selfTicks(),
    });
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
