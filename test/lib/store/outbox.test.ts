import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyOutbox, loadOutbox, saveOutbox } from '../../../src/lib/store/outbox.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(() => removeTempDirs());

const queued = (id: string) => ({
  id,
  channel: 'webhook:0123456789abcdef',
  event: { level: 'error' as const, event: 'gateway_down' as const, reason: 'x' },
  at: 1,
  queuedAt: 2,
});

describe('outbox file', () => {
  it('round-trips, 0600, in a private dir it creates', () => {
    const file = join(tempDir(), 'watchdog', 'outbox.json');
    const outbox = { ...emptyOutbox(), alerts: [queued('a')], dropped: 4 };
    saveOutbox(file, outbox);
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    expect(loadOutbox(file)).toEqual({ outbox, problem: null, unreadable: 0 });
  });

  it('missing is empty; torn or foreign is replaced and said; malformed alerts and unknown events go, counted', () => {
    const dir = tempDir();
    const file = join(dir, 'outbox.json');
    expect(loadOutbox(file)).toEqual({ outbox: emptyOutbox(), problem: null, unreadable: 0 });
    writeFileSync(file, '{"version":1,"alerts":[');
    expect(loadOutbox(file).problem).toMatch(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ version: 2, alerts: [] }));
    expect(loadOutbox(file).problem).toMatch(/unknown outbox version/);
    const future = { ...queued('b'), event: { level: 'warn', event: 'gpu_melted' } };
    const alerts = [queued('a'), { id: 3 }, future];
    writeFileSync(file, JSON.stringify({ version: 1, alerts, retry: 1, dropped: 2 }));
    const loaded = loadOutbox(file, (name) => name !== 'gpu_melted');
    expect(loaded.outbox.alerts.map((a) => a.id)).toEqual(['a']);
    expect(loaded.outbox.retry).toEqual({});
    expect(loaded.problem).toBeNull();
    expect(loaded.unreadable).toBe(2);
    expect(loaded.outbox.dropped).toBe(4);
  });

  it('a symlink planted at outbox.json is neither read through nor written through', () => {
    const dir = tempDir();
    const target = join(dir, 'elsewhere.json');
    const body = JSON.stringify({ ...emptyOutbox(), alerts: [queued('planted')] });
    writeFileSync(target, body);
    const file = join(dir, 'outbox.json');
    symlinkSync(target, file);
    const loaded = loadOutbox(file);
    expect(loaded.outbox.alerts).toEqual([]);
    expect(loaded.problem).toMatch(/unreadable/);
    saveOutbox(file, emptyOutbox());
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe(body);
  });
});
