import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvents } from '../../../src/lib/store/events.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const OPTIONS = { maxBytes: 1 << 20, maxFiles: 2, secrets: [] };
const stamps = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { event: string; ts: string }).ts);

describe('events.jsonl is in time order (issue 24 #4)', () => {
  it('a check that held the lock while another logged lock_busy never stamps a line before it', () => {
    const file = join(tempDir(), 'events.jsonl');
    const t = Date.parse('2026-12-06T10:00:00.000Z');
    appendEvents(file, [{ level: 'error', event: 'gateway_down', at: t }], t, OPTIONS);
    // A concurrent check found the lock busy 18.9 s later ...
    appendEvents(file, [{ level: 'info', event: 'lock_busy' }], t + 18_900, OPTIONS);
    // ... and the holder records its restart, seen and started before that.
    appendEvents(
      file,
      [
        { level: 'info', event: 'gateway_restart', at: t + 100 },
        { level: 'info', event: 'gateway_recovered', at: t + 20_000 },
      ],
      t + 20_000,
      OPTIONS,
    );
    const ts = stamps(file);
    expect(ts).toEqual([...ts].sort());
    expect(ts[2]).toBe(new Date(t + 18_900).toISOString());
    expect(ts[3]).toBe(new Date(t + 20_000).toISOString());
  });

  it('lines of one append without a time of their own never go back either', () => {
    const file = join(tempDir(), 'events.jsonl');
    const t = Date.parse('2026-12-06T10:00:00.000Z');
    appendEvents(
      file,
      [
        { level: 'warn', event: 'state_reset', at: t },
        { level: 'error', event: 'gateway_down', at: t + 5 },
        { level: 'warn', event: 'orphans_reaped', at: t + 2 },
      ],
      t + 10,
      OPTIONS,
    );
    const ts = stamps(file);
    expect(ts).toEqual([...ts].sort());
  });
});

describe('concurrent appends (issue 24 #4)', () => {
  it('processes appending at the same moment never leave ts going back', async () => {
    const { spawn } = await import('node:child_process');
    const dir = tempDir();
    const file = join(dir, 'events.jsonl');
    const script = `
      const { appendEvents } = await import(${JSON.stringify(new URL('../../../src/lib/store/events.ts', import.meta.url).pathname)});
      for (let i = 0; i < 200; i++)
        appendEvents(process.argv[1], [{ level: 'info', event: 'lock_busy' }], Date.now(), { maxBytes: 1 << 24, maxFiles: 2, secrets: [] });
    `;
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const runs = Array.from({ length: 4 }, () => {
      const child = spawn(tsx, ['--input-type=module', '-e', script, file], { stdio: 'inherit' });
      return new Promise((resolve) => child.on('close', resolve));
    });
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const ts = stamps(file);
    expect(ts).toHaveLength(800);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! >= ts[i - 1]!, `line ${i}`).toBe(true);
  });
});
