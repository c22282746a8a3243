import { describe, expect, it } from 'vitest';
import type { Webhook } from '../../../src/lib/config/schema.js';
import type { Alert } from '../../../src/lib/notify/channel.js';
import { shortId, webhookBody } from '../../../src/lib/notify/format.js';
import { sizeOf } from '../../../src/lib/notify/fit.js';
import { ntfyRequest } from '../../../src/lib/notify/ntfy.js';
import { telegramBody } from '../../../src/lib/notify/telegram.js';

const ctx = { host: 'vps1', port: 18789 };
const ID = '3f2a9c1e-7b4d-4e21-9a0f-5c6d7e8f9012';
const alert = (lines: number): Alert => ({
  id: ID,
  at: Date.UTC(2026, 10, 26),
  event: {
    level: 'error',
    event: 'gateway_down',
    reason: 'nothing listens on the port',
    evidence: Array.from({ length: lines }, (_, i) => `line ${i} ${'é🙂'.repeat(60)}`),
    evidenceFrom: '/x/gateway.log',
  },
});
const hook = (format: Webhook['format']): Webhook => ({
  url: 'https://example.com/h',
  format,
  events: null,
});

describe('the alert id in every chat body (a short last line), within each service limit', () => {
  const cases: [string, (a: Alert) => string, number, 'chars' | 'bytes'][] = [
    [
      'discord',
      (a) => (webhookBody(hook('discord'), a.event, 't', ctx, a) as { content: string }).content,
      2000,
      'chars',
    ],
    [
      'slack',
      (a) => (webhookBody(hook('slack'), a.event, 't', ctx, a) as { text: string }).text,
      3000,
      'chars',
    ],
    [
      'telegram',
      (a) =>
        telegramBody({ botToken: 'x', chatId: '1', apiRoot: 'http://x', events: null }, a, ctx)
          .text,
      4096,
      'chars',
    ],
    [
      'ntfy',
      (a) =>
        ntfyRequest(
          { url: 'http://x/t', token: null, priority: null, tags: [], events: null },
          a,
          ctx,
        ).body,
      4096,
      'bytes',
    ],
  ];
  for (const [name, text, max, unit] of cases)
    it(`${name}: ends with "id ${shortId(ID)}", short or cut to the limit`, () => {
      for (const lines of [0, 3, 200]) {
        const body = text(alert(lines));
        expect(body.split('\n').at(-1)).toBe('id 3f2a9c1e7b4d');
        expect(sizeOf(body, unit)).toBeLessThanOrEqual(max);
      }
    });

  it('generic JSON keeps the whole id (and its header, see webhook.ts)', () => {
    expect(webhookBody(hook('json'), alert(1).event, 't', ctx, alert(1))).toMatchObject({ id: ID });
  });
});
