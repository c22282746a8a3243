import { describe, expect, it } from 'vitest';
import type { Heartbeat } from '../../../src/lib/config/schema.js';
import {
  beatRequest,
  heartbeatFormat,
  heartbeatLabel,
  startRequest,
} from '../../../src/lib/notify/heartbeat.js';

const hb = (url: string, format: Heartbeat['format'] = 'auto', start = false): Heartbeat => ({
  url,
  format,
  start,
  timeoutMs: 3000,
});
const ctx = { host: 'vps1', port: 18789, gateway: 'default' };
const beat = (exitCode: number, paused = false, healthy = exitCode === 0) => ({
  exitCode,
  reason: 'down: nothing listens on the port',
  probeMs: 12.4,
  verdict: healthy ? 'healthy' : 'refused',
  healthy,
  paused,
  now: Date.parse('2026-11-26T03:00:00Z'),
});

describe('heartbeat shapes', () => {
  it('auto: healthchecks.io for hc-ping.com and /ping/<uuid>, Uptime Kuma for /api/push/, JSON otherwise', () => {
    expect(heartbeatFormat(hb('https://hc-ping.com/abc'))).toBe('healthchecks');
    expect(heartbeatFormat(hb('https://hc.example.com/ping/abc'))).toBe('healthchecks');
    expect(heartbeatFormat(hb('https://kuma.example.com/api/push/Tok?status=up'))).toBe(
      'uptime-kuma',
    );
    expect(heartbeatFormat(hb('https://example.com/beat'))).toBe('json');
    expect(heartbeatLabel(hb('https://hc-ping.com/abc-secret'))).toBe(
      'heartbeat healthchecks https://hc-ping.com/…',
    );
  });

  it('healthchecks.io: <url> when healthy and while paused, <url>/fail for a crash a restart fixed, <url>/<exit> otherwise, the query kept; /start when asked', () => {
    const h = hb('https://hc-ping.com/abc/?rid=1');
    expect(beatRequest(h, beat(0), ctx).url).toBe('https://hc-ping.com/abc/?rid=1');
    expect(beatRequest(h, beat(1, true), ctx).url).toBe('https://hc-ping.com/abc/?rid=1');
    const fail = beatRequest(h, beat(1), ctx);
    expect(fail.url).toBe('https://hc-ping.com/abc/1?rid=1');
    expect(fail.body).toBe(
      'openclaw-watchdog vps1/default:18789: exit 1: down: nothing listens on the port',
    );
    // a crash a restart fixed: the check exits 0, but found the gateway down
    const fixed = beatRequest(h, beat(0, false, false), ctx);
    expect(fixed.url).toBe('https://hc-ping.com/abc/fail?rid=1');
    expect(fixed.body).toBe(
      'openclaw-watchdog vps1/default:18789: exit 0: down: nothing listens on the port',
    );
    expect(startRequest(h)).toBeNull();
    expect(startRequest(hb('https://hc-ping.com/abc', 'auto', true))?.url).toBe(
      'https://hc-ping.com/abc/start',
    );
  });

  it('Uptime Kuma: status, msg and ping replace what the pasted URL holds; a GET', () => {
    const k = hb('https://kuma.example.com/api/push/Tok?status=up&msg=OK&ping=');
    const down = new URL(beatRequest(k, beat(1), ctx).url);
    expect(beatRequest(k, beat(1), ctx).method).toBe('GET');
    expect([...down.searchParams]).toEqual([
      ['status', 'down'],
      ['msg', 'vps1/default: exit 1: down: nothing listens on the port'],
      ['ping', '12'],
    ]);
    const paused = new URL(beatRequest(k, beat(1, true), ctx).url);
    expect(paused.searchParams.get('status')).toBe('up');
    expect(paused.searchParams.get('msg')).toMatch(/^vps1\/default: exit 1: paused \(/);
    const fixed = new URL(beatRequest(k, beat(0, false, false), ctx).url);
    expect(fixed.searchParams.get('status')).toBe('down');
    expect(fixed.searchParams.get('msg')).toBe(
      'vps1/default: exit 0: down: nothing listens on the port',
    );
    const long = { ...beat(1), reason: 'x'.repeat(5000) };
    expect(new URL(beatRequest(k, long, ctx).url).searchParams.get('msg')).toHaveLength(250);
  });

  it('generic JSON: the whole beat', () => {
    const r = beatRequest(hb('https://example.com/beat', 'json'), beat(1, true), ctx);
    expect(r).toMatchObject({ url: 'https://example.com/beat', method: 'POST' });
    expect(r.body).toEqual({
      status: 'paused',
      exitCode: 1,
      verdict: 'refused',
      reason: 'paused (down: nothing listens on the port)',
      host: 'vps1',
      gateway: 'default',
      port: 18789,
      probeMs: 12.4,
      ts: '2026-11-26T03:00:00.000Z',
    });
    const fixed = beatRequest(hb('https://example.com/beat', 'json'), beat(0, false, false), ctx);
    expect(fixed.body).toMatchObject({ status: 'down', exitCode: 0, verdict: 'refused' });
  });
});
