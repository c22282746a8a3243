import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockStartedAt } from '../../../src/lib/lifecycle/lock-start.js';
import { gatewayLockPath } from '../../../src/lib/procs/gateway-lock.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const uid = process.getuid?.() ?? 0;

function withLock(content: string): { stateDir: string; file: string } {
  const stateDir = tempDir();
  const file = gatewayLockPath(stateDir, uid);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return { stateDir, file };
}

describe("the gateway's lock as a record of its start", () => {
  it('createdAt (ISO or epoch ms); torn content: the mtime; missing: null', () => {
    const iso = '2026-11-26T10:00:00.000Z';
    const a = withLock(`${JSON.stringify({ pid: 7, createdAt: iso })}${' '.repeat(64)}`);
    expect(lockStartedAt(a.stateDir, uid)).toBe(Date.parse(iso));
    const b = withLock(JSON.stringify({ pid: 7, createdAt: 1_795_000_000_000 }));
    expect(lockStartedAt(b.stateDir, uid)).toBe(1_795_000_000_000);
    const c = withLock('{"pid":7,"creat');
    expect(lockStartedAt(c.stateDir, uid)).toBe(statSync(c.file).mtimeMs);
    expect(lockStartedAt(tempDir(), uid)).toBeNull();
    expect(lockStartedAt(a.stateDir, null)).toBeNull();
  });

  it('never through a symlink', () => {
    const real = withLock(JSON.stringify({ pid: 7, createdAt: '2026-11-26T10:00:00.000Z' }));
    const stateDir = tempDir();
    const file = gatewayLockPath(stateDir, uid);
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(real.file, file);
    expect(lockStartedAt(stateDir, uid)).toBeNull();
  });
});
