import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  freshState,
  loadState,
  saveState,
  STATE_FILE_BYTES,
} from '../../../src/lib/store/state.js';
import { readPause, writePause } from '../../../src/lib/store/pause.js';
import { applyPause } from '../../../src/lib/decide/on-purpose/pause.js';
import { decide } from '../../../src/lib/decide/decide.js';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';
import { statSync } from 'node:fs';
import { workKey } from '../../../src/lib/decide/openclaw/maintenance.js';
import { MAX_WORK_KEY } from '../../../src/lib/store/state-validate.js';

afterEach(removeTempDirs);

describe('state: fields of the wrong type', () => {
  it('are reset one by one and named; the right ones are kept', () => {
    const file = join(tempDir(), 'state.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        lastVerdict: 'healthy',
        slowestBootSec: 12,
        orphansReapedTotal: '3',
        incident: { kind: 'down', since: 'yesterday' },
        restarts: { total: 'x', consecutive: '71', lastAt: 5, nextAllowedAt: null },
      }),
    );
    const { state, problem } = loadState(file);
    expect(state.restarts).toEqual({ total: 0, consecutive: 0, lastAt: 5, nextAllowedAt: null });
    expect(state).toMatchObject({
      lastVerdict: 'healthy',
      slowestBootSec: 12,
      orphansReapedTotal: 0,
      incident: null,
    });
    expect(problem).toBe(
      'fields of the wrong type reset: incident, orphansReapedTotal, restarts.total, restarts.consecutive',
    );
  });

  it('a restarts that is not an object is reset whole', () => {
    const file = join(tempDir(), 'state.json');
    writeFileSync(file, JSON.stringify({ version: 1, restarts: 'many' }));
    expect(loadState(file)).toEqual({
      state: freshState(),
      problem: 'fields of the wrong type reset: restarts',
    });
  });
});

describe('state: a file of fixed size', () => {
  it('is padded, so that it can be rewritten in place on a full disk, and still round-trips', () => {
    const file = join(tempDir(), 'state.json');
    const state = { ...freshState(), lastVerdict: 'healthy' };
    saveState(file, state);
    expect(statSync(file).size).toBe(STATE_FILE_BYTES);
    expect(loadState(file)).toEqual({ state, problem: null });
  });
});

describe('pause.json with an until past the last valid date', () => {
  it('is read as paused until the last valid date, and a paused check does not throw', () => {
    const dir = tempDir();
    writePause(dir, { since: 0, until: 1e300, reason: null });
    const pause = readPause(dir)!;
    expect(pause.until).toBe(8.64e15);
    writeFileSync(join(dir, 'pause.json'), '{"since":0,"until":1e999,"reason":null}');
    expect(readPause(dir)!.until).toBe(8.64e15);
    const obs = {
      now: 1000,
      probe: { verdict: 'refused' as const, startup: null, reason: 'refused', ms: 1 },
      gateways: [],
      portOwner: null,
    };
    const d = applyPause(decide(defaultSettings(), freshState(), obs), pause, 1000, freshState());
    expect(d.actions).toEqual([]);
    expect(d.events.at(-1)).toMatchObject({
      event: 'action_skipped',
      until: '+275760-09-13T00:00:00.000Z',
    });
  });
});

describe('state: the pressure signals', () => {
  it('keep their fields when valid, reset and name them when not', () => {
    const file = join(tempDir(), 'state.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        memoryHighSince: 5,
        memoryOverSince: 'soon',
        childrenHighSince: null,
        lagChecks: -1,
      }),
    );
    const { state, problem } = loadState(file);
    expect(state).toMatchObject({
      memoryHighSince: 5,
      memoryOverSince: null,
      childrenHighSince: null,
      lagChecks: 0,
    });
    expect(problem).toBe('fields of the wrong type reset: memoryOverSince, lagChecks');
  });
});

describe('state: the OpenClaw work whose bound is spent (stuckWork)', () => {
  it('a key is kept; one longer than MAX_WORK_KEY bytes, or not a string, is reset and named', () => {
    const dir = tempDir();
    const load = (stuckWork: unknown) => {
      const file = join(dir, 'state.json');
      writeFileSync(file, JSON.stringify({ version: 1, stuckWork }));
      return loadState(file);
    };
    const key = workKey('update', 'run-7');
    expect(load(key)).toEqual({ state: { ...freshState(), stuckWork: key }, problem: null });
    expect(load('x'.repeat(MAX_WORK_KEY)).state.stuckWork).toBe('x'.repeat(MAX_WORK_KEY));
    for (const bad of ['ж'.repeat(MAX_WORK_KEY / 2 + 1), 7, { key }])
      expect(load(bad)).toEqual({
        state: freshState(),
        problem: 'fields of the wrong type reset: stuckWork',
      });
  });
});
