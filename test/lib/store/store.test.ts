import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/lib/store/atomic.js';
import { appendEvents } from '../../../src/lib/store/events.js';
import { freshState, loadState, saveState } from '../../../src/lib/store/state.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);
const mode = (file: string) => statSync(file).mode & 0o777;

describe('files the tool writes', () => {
  it('are private (0600) in a private dir (0700), written atomically', () => {
    const dir = join(tempDir(), 'watchdog');
    const file = join(dir, 'state.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });
});

describe('state', () => {
  it('round-trips, and a missing file is a fresh state', () => {
    const file = join(tempDir(), 'state.json');
    expect(loadState(file)).toEqual({ state: freshState(), problem: null });
    const state = { ...freshState(), lastVerdict: 'healthy', slowestBootSec: 9 };
    saveState(file, state);
    expect(loadState(file).state).toEqual(state);
    expect(mode(file)).toBe(0o600);
  });

  it('replaces a torn, foreign or future-version file and says why', () => {
    const file = join(tempDir(), 'state.json');
    for (const [text, problem] of [
      ['{"version":1,"la', 'not valid JSON (torn write?)'],
      ['[]', 'unknown state version'],
      ['{"version":9}', 'unknown state version'],
    ]) {
      writeFileSync(file, text!);
      expect(loadState(file)).toEqual({ state: freshState(), problem });
    }
  });
});

describe('event log', () => {
  const opts = { maxBytes: 300, maxFiles: 3, secrets: ['tok-123456'] };

  it('writes one JSON object per line with an ISO UTC ms timestamp, never a secret', () => {
    const file = join(tempDir(), 'events.jsonl');
    appendEvents(
      file,
      [{ level: 'error', event: 'restart_failed', output: 'auth tok-123456 rejected' }],
      Date.parse('2026-11-26T01:02:03.004Z'),
      opts,
    );
    const [line] = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(line!)).toEqual({
      ts: '2026-11-26T01:02:03.004Z',
      level: 'error',
      event: 'restart_failed',
      output: 'auth <redacted> rejected',
    });
    expect(mode(file)).toBe(0o600);
  });

  it('rotates by size and keeps maxFiles files', () => {
    const file = join(tempDir(), 'events.jsonl');
    for (let i = 0; i < 40; i++)
      appendEvents(file, [{ level: 'info', event: 'gateway_restart', i }], Date.now(), opts);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    expect(statSync(file).size).toBeLessThan(300 + 100);
    const last = readFileSync(file, 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last).i).toBe(39);
  });
});
