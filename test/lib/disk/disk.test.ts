import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filesystemsOf } from '../../../src/lib/disk/free.js';
import { dirSize, largestDirs } from '../../../src/lib/disk/sizes.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

describe('disk adapters', () => {
  it("statfs: one entry per filesystem; a dir not made yet counts as its parent's", () => {
    const dir = tempDir();
    const all = filesystemsOf([dir, join(dir, 'not', 'yet')]);
    expect(all).toHaveLength(1);
    expect(all[0]!.paths).toEqual([dir, join(dir, 'not', 'yet')]);
    const s = statfsSync(dir);
    expect(all[0]!.totalBytes).toBe(s.blocks * s.bsize);
    expect(all[0]!.freeBytes).toBeGreaterThan(0);
    expect(filesystemsOf([dir, '/proc'])).toHaveLength(2);
  });

  it('dir sizes visit at most the budget, and say so; the largest dirs first', () => {
    const state = tempDir();
    const agents = join(state, 'agents', 'main', 'sessions');
    mkdirSync(agents, { recursive: true });
    for (let i = 0; i < 50; i++) writeFileSync(join(agents, `s${i}.jsonl`), 'x'.repeat(1000));
    mkdirSync(join(state, 'logs'));
    writeFileSync(join(state, 'logs', 'gateway.log'), 'y'.repeat(500));
    const logDir = tempDir();
    writeFileSync(join(logDir, 'openclaw-2026-11-26.log'), 'z'.repeat(20_000));
    expect(dirSize(join(state, 'agents'), 10_000)).toEqual({
      path: join(state, 'agents'),
      bytes: 50_000,
      truncated: false,
    });
    const cut = dirSize(join(state, 'agents'), 12);
    expect(cut.truncated).toBe(true);
    expect(cut.bytes).toBeLessThan(50_000);
    expect(largestDirs(state, logDir).map((d) => [d.path, d.bytes])).toEqual([
      [join(state, 'agents'), 50_000],
      [logDir, 20_000],
      [join(state, 'logs'), 500],
    ]);
  });

  it('the walk streams within a time budget too: past the deadline it stops and says so', () => {
    const root = tempDir();
    for (let i = 0; i < 3; i++) mkdirSync(join(root, `d${i}`));
    for (let i = 0; i < 300; i++) writeFileSync(join(root, `d${i % 3}`, `f${i}`), 'x');
    // A clock that moves 1 ms per reading: the walk reads it once per entry.
    let t = 0;
    const clock = () => t++;
    const cut = dirSize(root, { entries: 1_000_000, deadline: 50, clock });
    expect(cut.truncated).toBe(true);
    expect(cut.bytes).toBeGreaterThan(0);
    expect(cut.bytes).toBeLessThan(60);
    t = 0;
    expect(dirSize(root, { entries: 1_000_000, deadline: 10_000, clock })).toEqual({
      path: root,
      bytes: 300,
      truncated: false,
    });
    // largestDirs shares the time among its roots: each stops within its share.
    t = 0;
    const sizes = largestDirs(root, join(root, 'd0'), 1_000_000, 90, clock);
    expect(sizes.every((d) => d.truncated)).toBe(true);
    expect(sizes.reduce((s, d) => s + d.bytes, 0)).toBeLessThan(100);
  });
});
