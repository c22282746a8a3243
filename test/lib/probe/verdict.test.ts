import { describe, expect, it } from 'vitest';
import { decideVerdict } from '../../../src/lib/probe/verdict.js';
import type { HttpStep, WsStep } from '../../../src/lib/probe/types.js';

const http = (
  path: string,
  status: number | undefined,
  body?: unknown,
  error?: HttpStep['error'],
): HttpStep => ({
  path,
  connected: status !== undefined || error === 'timeout',
  ms: 1,
  ...(status !== undefined ? { status } : {}),
  ...(body !== undefined ? { body } : {}),
  ...(error ? { error } : {}),
});
const ws = (fields: Partial<WsStep>): WsStep => ({
  connected: true,
  ms: 1,
  upgraded: true,
  challenge: true,
  ...fields,
});
const live = http('/healthz', 200, { ok: true, status: 'live' });

describe('decideVerdict', () => {
  it('healthy when /healthz is live and /startupz started; reports readiness without judging it', () => {
    const v = decideVerdict({
      healthz: live,
      startupz: http('/startupz', 200, { ok: true, status: 'started', version: '2026.9.6' }),
      readyz: http('/readyz', 503, {
        ready: false,
        failing: ['telegram'],
        eventLoop: { degraded: true },
      }),
      ws: ws({}),
    });
    expect(v).toMatchObject({
      verdict: 'healthy',
      startup: 'started',
      ready: false,
      failing: ['telegram'],
      version: '2026.9.6',
    });
    expect(v.eventLoop).toEqual({ degraded: true });
  });

  it('starting while /startupz says starting or draining', () => {
    for (const status of ['starting', 'draining']) {
      expect(
        decideVerdict({
          healthz: live,
          startupz: http('/startupz', 503, { ok: false, status }),
          ws: ws({}),
        }).verdict,
      ).toBe('starting');
    }
  });

  it('starting when connect answers UNAVAILABLE', () => {
    expect(
      decideVerdict({ ws: ws({}), deep: { ms: 1, ok: false, code: 'UNAVAILABLE' } }).verdict,
    ).toBe('starting');
  });

  it('healthy from the WebSocket challenge alone (older gateways without HTTP probes)', () => {
    const v = decideVerdict({
      healthz: http('/healthz', 404),
      startupz: http('/startupz', 404),
      ws: ws({}),
    });
    expect(v).toMatchObject({ verdict: 'healthy', startup: null, reason: 'WebSocket challenge' });
  });

  it('not-openclaw when something answers without the challenge', () => {
    const v = decideVerdict({
      healthz: http('/healthz', 404, 'nope'),
      ws: ws({ upgraded: false, challenge: false, status: 404, error: 'protocol' }),
    });
    expect(v.verdict).toBe('not-openclaw');
  });

  it('unresponsive when TCP is accepted and nothing answers', () => {
    const v = decideVerdict({
      healthz: http('/healthz', undefined, undefined, 'timeout'),
      ws: ws({ upgraded: false, challenge: false, error: 'timeout' }),
    });
    expect(v.verdict).toBe('unresponsive');
    expect(v.reason).toMatch(/accepts connections/);
  });

  it('refused when connections are accepted and reset at once (a killed gateway still exiting)', () => {
    const reset = { connected: true, ms: 1, error: 'reset' as const };
    const v = decideVerdict({
      healthz: { path: '/healthz', ...reset },
      ws: { ...reset, connected: false, upgraded: false, challenge: false },
    });
    expect(v).toMatchObject({
      verdict: 'refused',
      reason: 'connections reset: the listener is closing',
    });
  });

  it('refused when every step was refused', () => {
    const refused = { connected: false, ms: 1, error: 'refused' as const };
    const v = decideVerdict({
      healthz: { path: '/healthz', ...refused },
      ws: { ...refused, upgraded: false, challenge: false },
    });
    expect(v.verdict).toBe('refused');
  });
});
