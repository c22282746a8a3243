import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countEvents,
  emptyCounters,
  loadCounters,
  saveCounters,
} from '../../../src/lib/store/counters.js';
import type { WatchdogEvent } from '../../../src/lib/store/event-types.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const restart = (reason: string) =>
  ({ level: 'info', event: 'gateway_restart', reason, method: 'command', pid: 1 }) as WatchdogEvent;

describe('counters.json', () => {
  it('counts restarts by reason and failed notifications by kind; nothing to count is no write', () => {
    const events = [
      restart('crashed'),
      restart('crashed'),
      restart('memory'),
      { level: 'warn', event: 'heartbeat_failed', target: 'x', error: 'e' },
      {
        level: 'warn',
        event: 'notify_failed',
        channel: 'c',
        about: 'gateway_down',
        error: 'e',
        queued: 1,
      },
    ] as WatchdogEvent[];
    const once = countEvents(emptyCounters(), events)!;
    expect(once).toEqual({
      version: 1,
      restarts: { crashed: 2, memory: 1 },
      notifyFailures: { heartbeat: 1, notify: 1 },
    });
    expect(countEvents(once, [restart('crashed')])!.restarts.crashed).toBe(3);
    expect(
      countEvents(once, [{ level: 'info', event: 'gateway_recovered' } as WatchdogEvent]),
    ).toBeNull();
  });

  it('survives the watchdog: saved and loaded; a torn, foreign, oversized or symlinked file reads as empty', () => {
    const dir = tempDir();
    const file = join(dir, 'counters.json');
    expect(loadCounters(file)).toEqual(emptyCounters());
    const c = countEvents(emptyCounters(), [restart('hung')])!;
    saveCounters(file, c);
    expect(loadCounters(file)).toEqual(c);
    writeFileSync(file, '{"version":1,"restarts":{"crashed":');
    expect(loadCounters(file)).toEqual(emptyCounters());
    writeFileSync(
      file,
      JSON.stringify({ version: 1, restarts: { 'Bad Key': 3, ok: -1, fine: 2 } }),
    );
    expect(loadCounters(file).restarts).toEqual({ fine: 2 });
    writeFileSync(file, JSON.stringify({ version: 1, restarts: { x: 1 }, pad: 'x'.repeat(5000) }));
    expect(loadCounters(file)).toEqual(emptyCounters());
    const other = join(dir, 'other.json');
    saveCounters(other, c);
    const link = join(dir, 'link.json');
    symlinkSync(other, link);
    expect(loadCounters(link)).toEqual(emptyCounters());
    mkdirSync(join(dir, 'adir.json'));
    expect(loadCounters(join(dir, 'adir.json'))).toEqual(emptyCounters());
  });
});
