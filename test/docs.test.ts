import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocs, readEventTypes } from '../scripts/docs/generate.js';
import { EVENT_MEANING } from '../src/lib/store/event-docs.js';
import { ROOT } from './helpers/processes.js';

describe('generated docs (npm run docs)', () => {
  it('the committed docs/configuration.md and docs/events.md are what the script generates', async () => {
    for (const [path, text] of Object.entries(await generatedDocs()))
      expect(readFileSync(join(ROOT, path), 'utf8'), `${path}: run npm run docs`).toBe(text);
  }, 60_000);

  it('every event of the WatchdogEvent union, with its level and fields', () => {
    const events = readEventTypes();
    expect(events.map((e) => e.name).sort()).toEqual(Object.keys(EVENT_MEANING).sort());
    expect(events.find((e) => e.name === 'crash_loop')).toEqual({
      name: 'crash_loop',
      level: 'error',
      fields: ['consecutiveRestarts', 'afterUpdate?'],
    });
    // a union of details (`resumed`): one row, a field only some members have is optional
    expect(events.find((e) => e.name === 'resumed')?.fields).toEqual(['reason', 'pausedSec?']);
    expect(events.find((e) => e.name === 'disk_low')?.fields).toEqual([
      'filesystems: [{paths, freeBytes, totalBytes, freePercent}]',
      'largest: [{path, bytes, truncated}]',
    ]);
  }, 60_000);
});
