import { afterEach, describe, expect, it } from 'vitest';
import type { TelegramTarget } from '../../../src/lib/config/channel-settings.js';
import type { Alert } from '../../../src/lib/notify/channel.js';
import { deliver } from '../../../src/lib/notify/send.js';
import { emptyOutbox } from '../../../src/lib/store/outbox.js';
import { telegramChannel } from '../../../src/lib/notify/telegram.js';
import { freePort } from '../../helpers/net.js';
import { startTelegram, type Service } from '../../helpers/service-receivers.js';

const services: Service<unknown>[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

const TOKEN = `123456789:${'AAbbCC_dd-'.repeat(3)}xyz12`;
const ctx = { host: 'vps1', port: 18789 };
const telegram = async () => {
  const s = await startTelegram(TOKEN, ['-1001234', '@ops_room']);
  services.push(s as Service<unknown>);
  return s;
};
const target = (apiRoot: string, extra: Partial<TelegramTarget> = {}): TelegramTarget => ({
  botToken: TOKEN,
  chatId: '-1001234',
  apiRoot,
  events: null,
  ...extra,
});
const down = (evidence?: string[]): Alert => ({
  id: 'a-1',
  at: Date.UTC(2026, 10, 26),
  event: {
    level: 'error',
    event: 'gateway_down',
    reason: 'nothing listens on the port',
    ...(evidence ? { evidence, evidenceFrom: '/x/gateway.log' } : {}),
  },
});

describe('Telegram channel, against a Bot API stand-in that refuses what Telegram refuses', () => {
  it('sendMessage with chat_id and plain text: Markdown/HTML characters go through unescaped and intact', async () => {
    const s = await telegram();
    const line = 'error in *agent_x* [run] (retry) <b>&amp; 1_000 #tag > ~x~ `code`';
    const ch = telegramChannel(target(s.url), ctx);
    expect(ch.label).toBe('telegram chat -1001234');
    expect(await ch.send(down([line]), 2000)).toBeNull();
    expect(s.got[0]!.chat_id).toBe('-1001234');
    expect(s.got[0]!.parse_mode).toBeUndefined();
    expect(s.got[0]!.text).toContain('gateway down: nothing listens on the port');
    expect(s.got[0]!.text).toContain(line);
  });

  it('a long alert is cut to 4096 characters (Telegram refuses one more)', async () => {
    const s = await telegram();
    const lines = Array.from({ length: 15 }, (_, i) => `${i} ${'x'.repeat(399)}`);
    expect(await telegramChannel(target(s.url), ctx).send(down(lines), 2000)).toBeNull();
    expect(s.got[0]!.text.length).toBeLessThanOrEqual(4096);
    expect(s.got[0]!.text).toContain('\n14 xxx');
  });

  it("an unknown chat fails with Telegram's description; the token is never in a reason, label or notify_failed", async () => {
    const s = await telegram();
    const ch = telegramChannel(target(s.url, { chatId: '42' }), ctx);
    expect(await ch.send(down(), 2000)).toBe('HTTP 400: Bad Request: chat not found');
    const wrong = telegramChannel(target(s.url, { botToken: `1:${'z'.repeat(35)}` }), ctx);
    expect(await wrong.send(down(), 2000)).toBe('HTTP 401: Unauthorized');
    const dead = telegramChannel(target(`http://127.0.0.1:${await freePort()}`), ctx);
    const limits = { max: 10, maxAgeMs: 3_600_000, retryDelayMs: 30_000, retryMaxDelayMs: 900_000 };
    const { events: failed, outbox } = await deliver([dead], [down().event], emptyOutbox(), {
      timeoutMs: 1000,
      now: Date.now(),
      secrets: [TOKEN],
      limits,
    });
    expect(failed).toHaveLength(1);
    expect(outbox.alerts).toHaveLength(1);
    expect(JSON.stringify(outbox)).not.toContain(TOKEN.split(':')[1]);
    expect(failed[0]).toMatchObject({
      event: 'notify_failed',
      channel: 'telegram chat -1001234',
      error: 'ECONNREFUSED',
    });
    expect(JSON.stringify(failed)).not.toContain(TOKEN.split(':')[1]);
  });

  it('a channel username works as chat id', async () => {
    const s = await telegram();
    expect(
      await telegramChannel(target(s.url, { chatId: '@ops_room' }), ctx).send(down(), 2000),
    ).toBeNull();
  });
});
