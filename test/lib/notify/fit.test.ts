import { describe, expect, it } from 'vitest';
import type { Webhook } from '../../../src/lib/config/schema.js';
import { cut, withEvidenceText } from '../../../src/lib/notify/fit.js';
import { webhookBody } from '../../../src/lib/notify/format.js';

const ctx = { host: 'vps1', port: 18789 };
const hook = (format: Webhook['format']): Webhook => ({
  url: 'https://x.test',
  format,
  events: null,
});
const down = (evidence: string[]) => ({
  level: 'error' as const,
  event: 'gateway_down' as const,
  reason: 'nothing listens on the port',
  evidence,
  evidenceFrom: '/s/watchdog/gateway.log',
});
const ts = '2026-11-26T00:00:00.000Z';

describe('alert text within what each service accepts', () => {
  it('Discord: the evidence in a code block, the whole content within 2000 characters, newest lines kept', () => {
    const lines = Array.from({ length: 15 }, (_, i) => `${i} ${'x'.repeat(300)}`);
    const { content } = webhookBody(hook('discord'), down(lines), ts, ctx) as { content: string };
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).toMatch(
      /^🔴 openclaw-watchdog vps1:18789: gateway down: nothing listens on the port\nLast lines from \/s\/watchdog\/gateway\.log:\n```\n/,
    );
    expect(content).toMatch(/\n14 x+\n```$/);
    expect(content).not.toContain('\n0 xxx');
  });

  it('a line cannot close the code block; Slack gets the block too; generic JSON carries the lines as data', () => {
    const e = down(['before ``` after']);
    const { text } = webhookBody(hook('slack'), e, ts, ctx) as { text: string };
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text).toContain('before ˋˋˋ after');
    const json = webhookBody(hook('json'), e, ts, ctx) as { message: string; details: object };
    expect(json.message).toBe(
      '🔴 openclaw-watchdog vps1:18789: gateway down: nothing listens on the port',
    );
    expect(json.details).toMatchObject({ evidence: ['before ``` after'] });
  });

  it("lines from OpenClaw's shared log: the caption says they may be another gateway's", () => {
    const e = {
      ...down(['boom']),
      evidenceFrom: '/tmp/openclaw/x.log',
      evidenceNote: 'shared, 1 other',
    };
    const { text } = webhookBody(hook('slack'), e, ts, ctx) as { text: string };
    expect(text).toContain('Last lines from /tmp/openclaw/x.log (shared, 1 other):');
  });

  it('one line longer than the room is cut, never past the limit; bytes count UTF-8', () => {
    const style = { max: 200, unit: 'bytes' as const, fence: false };
    const text = withEvidenceText('head', ['é'.repeat(500)], '/f', style);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(200);
    expect(text.startsWith('head\nLast lines from /f:\néé')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(cut('😀😀😀', 5, 'chars')).toBe('😀😀…'); // never half a surrogate pair
    expect(withEvidenceText('head', [], '/f', style)).toBe('head');
  });
});
