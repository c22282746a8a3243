import { execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEFTOVER_AGE_MS, removeLeftoverTemps } from '../../../src/lib/store/leftover-temp.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const NOW = Date.now();
const OLD = (NOW - LEFTOVER_AGE_MS - 1000) / 1000;

function file(dir: string, name: string, ageSec: number | null): string {
  const path = join(dir, name);
  writeFileSync(path, 'x');
  if (ageSec !== null) utimesSync(path, ageSec, ageSec);
  return path;
}

describe('removeLeftoverTemps', () => {
  it('removes a temp file a killed check left (state.json.<16 hex>.tmp, untouched 10 min), keeps one that may still be written', () => {
    const dir = tempDir();
    const left = file(dir, 'state.json.0123456789abcdef.tmp', OLD);
    const writing = file(dir, 'counters.json.fedcba9876543210.tmp', null);
    // Exactly at the age: gone (a write takes milliseconds).
    const edge = file(dir, 'state.json.00000000000000aa.tmp', (NOW - LEFTOVER_AGE_MS) / 1000);
    expect(removeLeftoverTemps(dir, NOW)).toBe(2);
    expect(existsSync(left)).toBe(false);
    expect(existsSync(edge)).toBe(false);
    expect(existsSync(writing)).toBe(true);
  });

  it('`of` a file (a shared directory): only that file’s temps go, never another writer’s', () => {
    const dir = tempDir();
    const ours = file(dir, 'openclaw.prom.0123456789abcdef.tmp', OLD);
    const others = [
      'node.prom.0123456789abcdef.tmp',
      'openclaw.prom2.0123456789abcdef.tmp',
      'xopenclaw.prom.0123456789abcdef.tmp',
      'openclaw.pro.0123456789abcdef.tmp',
    ];
    for (const n of others) file(dir, n, OLD);
    expect(removeLeftoverTemps(dir, NOW, 'openclaw.prom')).toBe(1);
    expect(existsSync(ours)).toBe(false);
    for (const n of others) expect(existsSync(join(dir, n))).toBe(true);
  });

  it('keeps every other name: the files themselves, a user’s own .tmp, other hex lengths, upper case', () => {
    const dir = tempDir();
    const names = [
      'state.json',
      'notes.tmp',
      'state.json.0123456789abcde.tmp',
      'state.json.0123456789abcdef0.tmp',
      'state.json.0123456789ABCDEF.tmp',
      '.0123456789abcdef.tmp',
      'state.json.0123456789abcdef.tmp.bak',
    ];
    for (const n of names) file(dir, n, OLD);
    expect(removeLeftoverTemps(dir, NOW)).toBe(0);
    for (const n of names) expect(existsSync(join(dir, n))).toBe(true);
  });

  it('keeps a symlink, a FIFO and a directory of that name (lstat: only regular files)', () => {
    const dir = tempDir();
    const target = file(dir, 'target', OLD);
    const link = join(dir, 'state.json.1111111111111111.tmp');
    symlinkSync(target, link);
    lutimesSync(link, OLD, OLD);
    const fifo = join(dir, 'state.json.2222222222222222.tmp');
    execFileSync('mkfifo', [fifo]);
    utimesSync(fifo, OLD, OLD);
    const sub = join(dir, 'state.json.3333333333333333.tmp');
    mkdirSync(sub);
    utimesSync(sub, OLD, OLD);
    expect(removeLeftoverTemps(dir, NOW)).toBe(0);
    for (const p of [link, fifo, sub, target])
      expect(lstatSync(p, { throwIfNoEntry: false })).toBeDefined();
  });

  // Only root can give a file to another uid.
  it.skipIf(process.getuid?.() !== 0)(
    "keeps another uid's file (root's check over another user's dir: not its to remove)",
    () => {
      const dir = tempDir();
      const foreign = file(dir, 'state.json.4444444444444444.tmp', OLD);
      chownSync(foreign, 65534, 65534);
      expect(removeLeftoverTemps(dir, NOW)).toBe(0);
      expect(existsSync(foreign)).toBe(true);
    },
  );

  it('a dir that is missing or unreadable: nothing, no throw', () => {
    expect(removeLeftoverTemps(join(tempDir(), 'nope'), NOW)).toBe(0);
  });
});
