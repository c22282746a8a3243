import { mkdirSync, readdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireCheckLock } from '../../../src/lib/store/lock.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

describe('check lock', () => {
  it('one holder at a time; released, it can be taken again', async () => {
    const dir = tempDir();
    const a = await acquireCheckLock(dir, 30);
    expect(a).not.toBeNull();
    expect(await acquireCheckLock(dir, 30)).toBeNull();
    expect(a!.stillOwner()).toBe(true);
    await a!.release();
    expect(existsSync(join(dir, 'check.lock'))).toBe(false);
    const b = await acquireCheckLock(dir, 30);
    expect(b).not.toBeNull();
    await b!.release();
  });

  it('a stale lock is taken over; the old holder then knows it lost it and leaves the new one alone', async () => {
    const dir = tempDir();
    const old = (await acquireCheckLock(dir, 30))!;
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'check.lock'), past, past); // as if its holder was stalled for 60 s
    const next = await acquireCheckLock(dir, 30);
    expect(next).not.toBeNull();
    expect(old.stillOwner()).toBe(false);
    await old.release();
    expect(next!.stillOwner()).toBe(true);
    await next!.release();
  });

  it('a plain file named check.lock (not ours) is replaced', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'check.lock'), 'junk');
    const lock = await acquireCheckLock(dir, 30);
    expect(lock).not.toBeNull();
    await lock!.release();
  });

  it('a lock whose mtime lies in the future (clock stepped back) does not block checks', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'check.lock'));
    const future = new Date(Date.now() + 3600_000);
    utimesSync(join(dir, 'check.lock'), future, future);
    const lock = await acquireCheckLock(dir, 30);
    expect(lock).not.toBeNull();
    await lock!.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});
