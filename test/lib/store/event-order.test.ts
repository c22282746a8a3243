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
