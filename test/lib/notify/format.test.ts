import { describe, expect, it } from 'vitest';
import type { Webhook } from '../../../src/lib/config/schema.js';
import { resolveFormat, safeUrl, wants, webhookBody } from '../../../src/lib/notify/format.js';
import { reminder } from '../../../src/lib/decide/liveness/reminder.js';
import { freshState } from '../../../src/lib/store/state.js';

const hook = (
  url: string,
  format: Webhook['format'] = 'auto',
  events: string[] | null = null,
): Webhook => ({ url, format, events });
const ctx = { host: 'vps1', port: 18789 };
const down = {
  level: 'error' as const,
  event: 'gateway_down' as const,
  reason: 'nothing listens on the port',
};

describe('webhook formats', () => {
  it('auto picks Discord and Slack shapes for their URLs, JSON otherwise', () => {
    expect(resolveFormat(hook('https://discord.com/api/webhooks/1/abc'))).toBe('discord');
    expect(resolveFormat(hook('https://discordapp.com/api/webhooks/1/abc'))).toBe('discord');
    expect(resolveFormat(hook('https://hooks.slack.com/services/T/B/x'))).toBe('slack');
    expect(resolveFormat(hook('https://example.test/hook'))).toBe('json');
    expect(resolveFormat(hook('https://example.test/hook', 'slack'))).toBe('slack');
  });

  it('builds {content}, {text} and the generic {event, ts, host, port, message, details}', () => {
    const ts = '2026-11-26T00:00:00.000Z';
    expect(webhookBody(hook('https://x.test', 'discord'), down, ts, ctx)).toEqual({
      content: '🔴 openclaw-watchdog vps1:18789: gateway down: nothing listens on the port',
    });
    expect(webhookBody(hook('https://x.test', 'slack'), down, ts, ctx)).toEqual({
      text: '🔴 openclaw-watchdog vps1:18789: gateway down: nothing listens on the port',
    });
    expect(webhookBody(hook('https://x.test', 'json'), down, ts, ctx)).toEqual({
      event: 'gateway_down',
      ts,
      host: 'vps1',
      port: 18789,
      level: 'error',
      message: '🔴 openclaw-watchdog vps1:18789: gateway down: nothing listens on the port',
      details: { reason: 'nothing listens on the port' },
    });
  });

  it("restart_failed carries the gateway's own last lines", () => {
    const e = {
      level: 'error' as const,
      event: 'restart_failed' as const,
      method: 'openclaw',
      signal: null,
      exitCode: 78,
      output: 'a\nInvalid config at /x/openclaw.json',
      hint: 'exit 78: configuration trouble',
    };
    const body = webhookBody(hook('https://x.test', 'slack'), e, 'ts', ctx) as { text: string };
    // The failure and the gateway's last line first, then the fix.
    expect(body.text).toContain(
      'restart failed (openclaw): exit 78: Invalid config at /x/openclaw.json\nfix: exit 78: configuration trouble',
    );
    expect(body.text).toContain('Invalid config at /x/openclaw.json');
  });

  it('alerts on incident changes by default; a hook may choose its events', () => {
    expect(wants(hook('https://x.test'), 'gateway_down')).toBe(true);
    expect(wants(hook('https://x.test'), 'restart_deferred')).toBe(false);
    expect(wants(hook('https://x.test'), 'orphans_reaped')).toBe(false);
    expect(wants(hook('https://x.test', 'auto', ['orphans_reaped']), 'orphans_reaped')).toBe(true);
    expect(wants(hook('https://x.test', 'auto', ['orphans_reaped']), 'gateway_down')).toBe(false);
  });

  it('never shows more of a URL than scheme and host', () => {
    expect(safeUrl('https://discord.com/api/webhooks/123/secret-token')).toBe(
      'https://discord.com/…',
    );
  });
});

describe('reminder', () => {
  it('re-alerts an open incident every remindAfterSec, and never without the setting', () => {
    const state = { ...freshState(), incident: { kind: 'down' as const, since: 0 } };
    expect(reminder(state, 10_000_000, null).event).toBeNull();
    expect(reminder(state, 100_000, 300).event).toBeNull();
    const r = reminder(state, 301_000, 300);
    expect(r.event).toMatchObject({ event: 'incident_reminder', kind: 'down', sinceSec: 301 });
    expect(reminder(r.state, 400_000, 300).event).toBeNull();
    expect(reminder(r.state, 602_000, 300).event).not.toBeNull();
  });
});
