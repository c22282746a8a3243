import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  gatewayLockPath,
  lockHolderPid,
  lockNames,
  readGatewayLock,
} from '../../../src/lib/procs/gateway-lock.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const write = (text: string) => {
  const file = join(tempDir(), 'gateway.state.lock');
  writeFileSync(file, text);
  return file;
};

describe('the gateway lock', () => {
  it('lives in <state dir>/tmp/openclaw-<uid>/gateway.state.lock', () => {
    expect(gatewayLockPath('/home/u/.openclaw', 1000)).toBe(
      '/home/u/.openclaw/tmp/openclaw-1000/gateway.state.lock',
    );
  });

  it('reads pid, port, start time and owner id; JSON padded with spaces and newlines', () => {
    const file = write(
      `${JSON.stringify({ pid: 7, port: 18789, startTime: 555, ownerId: 'o1' })}\n    \n`,
    );
    expect(readGatewayLock(file)).toEqual({ pid: 7, port: 18789, startTime: 555, ownerId: 'o1' });
  });

  it('fields of the wrong type read as null; no pid, not JSON, no file: no lock', () => {
    const odd = write(JSON.stringify({ pid: 7, port: '18789', startTime: '555', ownerId: 5 }));
    expect(readGatewayLock(odd)).toEqual({ pid: 7, port: null, startTime: null, ownerId: null });
    expect(readGatewayLock(write(JSON.stringify({ pid: '7', port: 1 })))).toBeNull();
    expect(readGatewayLock(write('null'))).toBeNull();
    expect(readGatewayLock(write('{ pid: 7 '))).toBeNull();
    expect(readGatewayLock(join(tempDir(), 'missing'))).toBeNull();
  });
});

describe("lockHolderPid: the pid a state dir's lifecycle lock names (spared as an orphan)", () => {
  it("is the lock's pid, whoever holds it (a gateway, doctor); no lock: none", () => {
    const stateDir = tempDir();
    expect(lockHolderPid(stateDir, 1000)).toBeNull();
    const file = gatewayLockPath(stateDir, 1000);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: 4242, role: 'sqlite-maintenance', startTime: 9 }));
    expect(lockHolderPid(stateDir, 1000)).toBe(4242);
    // Another uid's lock dir is not this one's.
    expect(lockHolderPid(stateDir, 1001)).toBeNull();
  });
});

describe('lockNames: does the lock still name its own process, for this port and user?', () => {
  const lock = { pid: 7, port: 18789, startTime: 555 };
  const proc = { pid: 7, startTicks: 555, uid: 1000 };

  it('another pid is not the lock’s process', () => {
    expect(lockNames(lock, { ...proc, pid: 8 }, 18789, 1000)).toBe(false);
  });

  it('a lock without a port names a gateway on any port; a known uid of null is not checked', () => {
    expect(lockNames({ ...lock, port: null }, proc, 1, 1000)).toBe(true);
    expect(lockNames(lock, { ...proc, uid: 0 }, 18789, null)).toBe(true);
    expect(lockNames(lock, { ...proc, uid: null }, 18789, 1000)).toBe(false);
  });
});

describe('the lock of something that is not a gateway (doctor, an embedded agent)', () => {
  it('names its role, cut to 64 characters; a gateway’s own role, or none, is no role', () => {
    const lock = { pid: 7, port: 18789, startTime: 555 };
    expect(readGatewayLock(write(JSON.stringify({ ...lock, role: 'sqlite-maintenance' })))).toEqual(
      { ...lock, ownerId: null, role: 'sqlite-maintenance' },
    );
    expect(
      readGatewayLock(write(JSON.stringify({ ...lock, role: 'x'.repeat(100) }))),
    ).toHaveProperty('role', 'x'.repeat(64));
    expect(readGatewayLock(write(JSON.stringify({ ...lock, role: 'gateway' })))).not.toHaveProperty(
      'role',
    );
    expect(readGatewayLock(write(JSON.stringify({ ...lock, role: 5 })))).not.toHaveProperty('role');
  });
});
