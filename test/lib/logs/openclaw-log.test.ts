import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  logProfileSegment,
  openclawLogFiles,
  renderLogLine,
} from '../../../src/lib/logs/openclaw-log.js';

const day = new Date(2026, 10, 26, 9, 30); // local time, as OpenClaw names its files
const where = { home: '/home/me', profile: null, file: null, uid: 1000 };

describe("OpenClaw's file log location (dist logger-*.mjs, measured: shared/openclaw-gateway.md §7)", () => {
  it('defaults to /tmp/openclaw/openclaw-<local date>.log, then the day before, then $TMPDIR/openclaw-<uid>', () => {
    expect(openclawLogFiles(where, day)).toEqual([
      '/tmp/openclaw/openclaw-2026-11-26.log',
      join(tmpdir(), 'openclaw-1000', 'openclaw-2026-11-26.log'),
      '/tmp/openclaw/openclaw-2026-11-25.log',
      join(tmpdir(), 'openclaw-1000', 'openclaw-2026-11-25.log'),
    ]);
  });

  it('a named profile is in the name, encoded as OpenClaw encodes it', () => {
    expect(openclawLogFiles({ ...where, profile: 'work' }, day)[0]).toBe(
      '/tmp/openclaw/openclaw-work-2026-11-26.log',
    );
    expect(logProfileSegment('My_Pro-f1')).toBe('-1my-0-1pro--f1');
  });

  it('logging.file: ~ expanded; a fixed name is one file; the legacy openclaw-DATE.log shape rolls daily', () => {
    expect(openclawLogFiles({ ...where, file: '~/logs/gw.log' }, day)).toEqual([
      '/home/me/logs/gw.log',
    ]);
    expect(
      openclawLogFiles({ ...where, file: '/var/log/oc/openclaw-2026-01-01.log' }, day),
    ).toEqual(['/var/log/oc/openclaw-2026-11-26.log', '/var/log/oc/openclaw-2026-11-25.log']);
    expect(
      openclawLogFiles({ ...where, file: '/var/log/oc/openclaw-work-2026-01-01.log' }, day),
    ).toEqual(['/var/log/oc/openclaw-work-2026-01-01.log']);
  });
});

describe('renderLogLine', () => {
  it('renders a JSON line as OpenClaw 2026.9.6 writes it: time, level, subsystem, message', () => {
    const line =
      '{"0":"{\\"subsystem\\":\\"gateway\\"}","1":"received SIGTERM; shutting down","_meta":{"runtime":"node","logLevelId":3,"logLevelName":"INFO","name":"{\\"subsystem\\":\\"gateway\\"}"},"time":"2026-11-26T04:09:58.679+00:00","hostname":"vm","message":"received SIGTERM; shutting down"}';
    expect(renderLogLine(line)).toBe(
      '2026-11-26T04:09:58.679+00:00 INFO [gateway] received SIGTERM; shutting down',
    );
  });

  it('keeps anything else as it is', () => {
    expect(renderLogLine('2026-11-26T04:09:58Z [gateway] ready')).toBe(
      '2026-11-26T04:09:58Z [gateway] ready',
    );
    expect(renderLogLine('{not json')).toBe('{not json');
    expect(renderLogLine('{"a":1}')).toBe('{"a":1}');
  });
});
