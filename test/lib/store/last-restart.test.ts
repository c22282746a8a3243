import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvents } from '../../../src/lib/store/events.js';
import { LAST_RESTART_TAIL_BYTES, lastRestartLogged } from '../../../src/lib/store/last-restart.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const OPTIONS = { maxBytes: 1024 * 1024, maxFiles: 3, secrets: [] };
const T = Date.parse('2026-12-06T20:00:00.000Z');
const line = (event: string, at: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ts: new Date(at).toISOString(), level: 'info', event, ...extra });

describe('lastRestartLogged: the event log as evidence of the last restart', () => {
  it('the last gateway_restart of the log, as appended by the watchdog, with later lines after it', () => {
    const file = join(tempDir(), 'events.jsonl');
    appendEvents(
      file,
      [
        { level: 'info', event: 'gateway_restart', at: T, reason: 'crashed', method: 'x', pid: 1 },
        {
          level: 'info',
          event: 'gateway_restart',
          at: T + 5000,
          reason: 'hung',
          method: 'x',
          pid: 2,
        },
        { level: 'info', event: 'gateway_recovered', at: T + 6000 } as never,
        { level: 'warn', event: 'state_reset', at: T + 9000, problem: 'torn' },
      ],
      T,
      OPTIONS,
    );
    expect(lastRestartLogged(file)).toBe(T + 5000);
  });

  it('skips torn, foreign and forged lines; null when none is valid', () => {
    const file = join(tempDir(), 'events.jsonl');
    const lines = [
      line('gateway_restart', T),
      '{"ts":"2026-12-06T20:00:09.000Z","event":"gateway_restart"', // torn
      JSON.stringify({ ts: 'yesterday', event: 'gateway_restart' }),
      JSON.stringify(['gateway_restart']),
      JSON.stringify({ ts: 12, event: 'gateway_restart' }),
      line('gateway_down', T + 8000, { note: 'gateway_restart' }),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(lastRestartLogged(file)).toBe(T);
    writeFileSync(file, `${lines.slice(1).join('\n')}\n`);
    expect(lastRestartLogged(file)).toBeNull();
  });

  it('looks in events.jsonl.1 when the log rotated right after the restart', () => {
    const file = join(tempDir(), 'events.jsonl');
    writeFileSync(`${file}.1`, `${line('gateway_restart', T)}\n${line('waiting', T + 1)}\n`);
    writeFileSync(file, `${line('state_reset', T + 2000)}\n`);
    expect(lastRestartLogged(file)).toBe(T);
  });

  it('reads only the end of a huge log: a restart further back is not found', () => {
    const file = join(tempDir(), 'events.jsonl');
    const filler = line('lock_busy', T + 1);
    const count = Math.ceil((4 * LAST_RESTART_TAIL_BYTES) / filler.length);
    writeFileSync(file, `${line('gateway_restart', T)}\n${`${filler}\n`.repeat(count)}`);
    expect(lastRestartLogged(file)).toBeNull();
  });

  it('a missing log, a FIFO or a symlink planted at its name: null, at once', () => {
    const dir = tempDir();
    expect(lastRestartLogged(join(dir, 'events.jsonl'))).toBeNull();
    const fifo = join(dir, 'fifo', 'events.jsonl');
    mkdirSync(join(dir, 'fifo'));
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(lastRestartLogged(fifo)).toBeNull();
    const real = join(dir, 'elsewhere.jsonl');
    writeFileSync(real, `${line('gateway_restart', T)}\n`);
    const link = join(dir, 'link', 'events.jsonl');
    mkdirSync(join(dir, 'link'));
    symlinkSync(real, link);
    expect(lastRestartLogged(link)).toBeNull();
  });
});
