import { execFileSync } from 'node:child_process';
import { chownSync, closeSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTail } from '../../../src/lib/logs/tail.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

describe('readTail', () => {
  it('reads only the end of a huge log: a 2 GiB sparse file costs a few KiB, a cut first line is dropped', () => {
    const file = join(tempDir(), 'big.log');
    const fd = openSync(file, 'w');
    const tail = Buffer.from(
      'first half of a cut line\nline A\n\u001b[31mline B\u001b[0m\n\nline C\n',
    );
    writeSync(fd, tail, 0, tail.length, 2 ** 31); // a hole of 2 GiB, then the lines
    closeSync(fd);
    const before = process.memoryUsage().arrayBuffers;
    expect(readTail(file, { maxBytes: 34 })).toEqual(['line A', 'line B', 'line C']);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it('keeps the last maxLines, whole lines from the start of a small file', () => {
    const file = join(tempDir(), 'small.log');
    writeFileSync(file, 'one\ntwo\nthree\nfour\n');
    expect(readTail(file, { maxLines: 2 })).toEqual(['three', 'four']);
    expect(readTail(file)).toEqual(['one', 'two', 'three', 'four']);
  });

  it("never follows a symlink, never blocks on a FIFO, reads no other owner's file, and a missing file is null", () => {
    const dir = tempDir();
    const real = join(dir, 'real.log');
    writeFileSync(real, 'secret line\n');
    symlinkSync(real, join(dir, 'link.log'));
    expect(readTail(join(dir, 'link.log'))).toBeNull();
    execFileSync('mkfifo', [join(dir, 'fifo.log')]);
    expect(readTail(join(dir, 'fifo.log'))).toBeNull(); // would hang forever without O_NONBLOCK
    const uid = process.getuid!();
    expect(readTail(real, { ownerUid: uid })).toEqual(['secret line']);
    if (uid === 0) {
      chownSync(real, 4242, 4242);
      expect(readTail(real, { ownerUid: uid })).toBeNull();
    }
    expect(readTail(join(dir, 'missing.log'))).toBeNull();
  });
});
