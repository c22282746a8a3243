import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  openSync,
  writeSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  lstatSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  UnsafePathError,
  ensurePrivateDir,
  writeFileAtomic,
} from '../../../src/lib/store/atomic.js';
import { appendEvents } from '../../../src/lib/store/events.js';
import { freshState, saveState, STATE_FILE_BYTES } from '../../../src/lib/store/state.js';
import { spawnDetached, trimLog } from '../../../src/lib/restart/spawn.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

const mounts: string[] = [];
afterEach(() => {
  for (const dir of mounts.splice(0)) spawnSync('umount', ['-l', dir]);
  removeTempDirs();
});

/** A tmpfs of fixed size (needs root and mount): a disk we can fill. Null when it cannot mount. */
function smallDisk(): string | null {
  if (process.getuid?.() !== 0) return null;
  const dir = tempDir();
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir]).status !== 0)
    return null;
  mounts.push(dir);
  return dir;
}
const canMount = (() => {
  const dir = smallDisk();
  if (dir) spawnSync('umount', [mounts.pop()!]);
  return dir !== null;
})();
const opts = { maxBytes: 1 << 20, maxFiles: 3, secrets: [] };
const event = { level: 'info' as const, event: 'x' };

/** A file the attacker wants us to write through a symlink. */
function victim(): string {
  const file = join(tempDir(), 'victim');
  writeFileSync(file, 'precious\n');
  return file;
}

describe('no write goes through a planted symlink', () => {
  it('events.jsonl: the append is refused with a clear error, the target is untouched', () => {
    const dir = tempDir();
    const target = victim();
    symlinkSync(target, join(dir, 'events.jsonl'));
    expect(() => appendEvents(join(dir, 'events.jsonl'), [event], 0, opts)).toThrow(
      UnsafePathError,
    );
    expect(() => appendEvents(join(dir, 'events.jsonl'), [event], 0, opts)).toThrow(
      /refusing to write .*events\.jsonl: it is a symlink/,
    );
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('gateway.log: the restart log is never opened through a symlink', () => {
    const dir = tempDir();
    const target = victim();
    symlinkSync(target, join(dir, 'gateway.log'));
    expect(() =>
      spawnDetached(
        [process.execPath, '-e', 'console.log("out")'],
        {},
        dir,
        join(dir, 'gateway.log'),
      ),
    ).toThrow(UnsafePathError);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });

  it('gateway.log: trimLog neither truncates nor copies a symlinked log', () => {
    const dir = tempDir();
    const target = victim();
    writeFileSync(target, 'x'.repeat(100));
    symlinkSync(target, join(dir, 'gateway.log'));
    expect(trimLog(join(dir, 'gateway.log'), 10)).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('x'.repeat(100));
  });

  it('gateway.log.1: a link there is replaced by the rotated copy, its target untouched', () => {
    const dir = tempDir();
    const target = victim();
    writeFileSync(join(dir, 'gateway.log'), 'y'.repeat(100));
    symlinkSync(target, join(dir, 'gateway.log.1'));
    expect(trimLog(join(dir, 'gateway.log'), 10)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'gateway.log.1')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, 'gateway.log.1'), 'utf8')).toBe('y'.repeat(100));
    expect(statSync(join(dir, 'gateway.log')).size).toBe(0);
    expect(statSync(join(dir, 'gateway.log.1')).mode & 0o777).toBe(0o600);
  });

  it('writeFileAtomic: random temp names, created exclusively; a link at the target is replaced', () => {
    const dir = tempDir();
    const target = victim();
    symlinkSync(target, join(dir, 'state.json'));
    // the old predictable temp name (<file>.<pid>.<time>.tmp) planted as links: never used
    for (let i = 0; i < 3; i++)
      symlinkSync(
        target,
        join(dir, `state.json.${process.pid}.${(Date.now() + i).toString(36)}.tmp`),
      );
    writeFileAtomic(join(dir, 'state.json'), '{}\n');
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{}\n');
    expect(
      readdirSync(dir).filter((f) => f.endsWith('.tmp') && !f.includes(`.${process.pid}.`)),
    ).toEqual([]);
    // the metrics textfile (shared) takes the same path
    const metrics = join(tempDir(), 'm.prom');
    symlinkSync(target, metrics);
    writeFileAtomic(metrics, 'm 1\n', { shared: true });
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });
});

describe('state.json on a full disk (rewritten in place)', () => {
  it.skipIf(!canMount)(
    `${canMount ? '' : '[skipped: needs root and mount, for a tmpfs of fixed size] '}a symlinked state.json: the save fails, the link's target is untouched`,
    () => {
      const dir = smallDisk()!;
      // The target lies on another disk (with room): a write through the link would succeed.
      const target = join(tempDir(), 'victim');
      const precious = 'precious line\n'.repeat(Math.ceil((2 * STATE_FILE_BYTES) / 14));
      writeFileSync(target, precious);
      symlinkSync(target, join(dir, 'state.json'));
      const fd = openSync(join(dir, 'filler'), 'w');
      try {
        for (;;) writeSync(fd, Buffer.alloc(1024, 1));
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(fd);
      }
      expect(() => saveState(join(dir, 'state.json'), freshState())).toThrow(/ENOSPC/);
      expect(readFileSync(target, 'utf8')).toBe(precious);
      expect(lstatSync(join(dir, 'state.json')).isSymbolicLink()).toBe(true);
    },
  );
});

describe('the watchdog directory', () => {
  it('an existing one with group/world access is made private (0700)', () => {
    const dir = join(tempDir(), 'watchdog');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('a symlink is refused with a clear message', () => {
    const real = tempDir();
    const dir = join(tempDir(), 'watchdog');
    symlinkSync(real, dir);
    expect(() => ensurePrivateDir(dir)).toThrow(UnsafePathError);
    expect(() => ensurePrivateDir(dir)).toThrow(/refusing to use .*watchdog: it is a symlink/);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "another user's directory is refused (needs root to chown)",
    () => {
      const dir = join(tempDir(), 'watchdog');
      mkdirSync(dir, { mode: 0o700 });
      chownSync(dir, 65534, 65534);
      expect(() => ensurePrivateDir(dir)).toThrow(/owned by uid 65534, not by this user/);
    },
  );
});
