import { afterEach, describe, expect, it } from 'vitest';
import type { NtfyTarget } from '../../../src/lib/config/channel-settings.js';
import type { Alert } from '../../../src/lib/notify/channel.js';
import { headerValue, ntfyChannel } from '../../../src/lib/notify/ntfy.js';
import { startNtfy, type Service } from '../../helpers/service-receivers.js';

const services: Service<unknown>[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});
const ntfy = async (auth?: string) => {
  const s = await startNtfy(auth);
  services.push(s as Service<unknown>);
  return s;
};

const ctx = { host: 'vps1', port: 18789 };
const target = (url: string, extra: Partial<NtfyTarget> = {}): NtfyTarget => ({
  url,
  token: null,
  priority: null,
  tags: [],
  events: null,
  ...extra,
});
const alert = (event: Alert['event']): Alert => ({ id: 'a-1', event, at: Date.UTC(2026, 10, 26) });
const down = (evidence?: string[]): Alert =>
  alert({
    level: 'error',
    event: 'gateway_down',
    reason: 'nothing listens on the port',
    ...(evidence ? { evidence, evidenceFrom: '/x/gateway.log' } : {}),
  });

describe('ntfy channel, against a receiver that refuses what ntfy refuses', () => {
  it('publishes the message as the body with title, priority by level and tags; the label shows the host only', async () => {
    const s = await ntfy();
    const ch = ntfyChannel(target(`${s.url}/oc-alerts-Xy7`, { tags: ['openclaw'] }), ctx);
    expect(ch.label).toBe(`ntfy ${s.url}/…`);
    expect(await ch.send(down(), 2000)).toBeNull();
    expect(
      await ch.send(alert({ level: 'info', event: 'gateway_recovered', downtimeSec: 42 }), 2000),
    ).toBeNull();
    expect(s.got[0]).toMatchObject({
      topic: 'oc-alerts-Xy7',
      title: 'openclaw-watchdog vps1:18789: gateway down: nothing listens on the port',
      priority: 4,
      tags: ['rotating_light', 'openclaw'],
    });
    expect(s.got[0]!.message).toContain('gateway down: nothing listens on the port');
    expect(s.got[1]).toMatchObject({ priority: 3, tags: ['white_check_mark', 'openclaw'] });
  });

  it('a non-ASCII title goes as an RFC 2047 encoded-word (raw UTF-8 in a header is refused)', async () => {
    const s = await ntfy();
    const ch = ntfyChannel(target(`${s.url}/t`), { host: 'straße-büro', port: 1 });
    expect(await ch.send(down(), 2000)).toBeNull();
    expect(s.refused).toEqual([]);
    expect(s.got[0]!.title).toBe(
      'openclaw-watchdog straße-büro:1: gateway down: nothing listens on the port',
    );
    expect(headerValue('plain')).toBe('plain');
    expect(headerValue('é\nx')).toBe(`=?UTF-8?B?${Buffer.from('é x').toString('base64')}?=`);
  });

  it('a long evidence block is cut to 4096 bytes of UTF-8, the newest lines kept', async () => {
    const s = await ntfy();
    const lines = Array.from({ length: 15 }, (_, i) => `${i} ${'ü'.repeat(390)}`);
    const ch = ntfyChannel(target(`${s.url}/t`), ctx);
    expect(await ch.send(down(lines), 2000)).toBeNull();
    const body = s.got[0]!.message;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    expect(body).toContain('Last lines from /x/gateway.log:');
    expect(body).toContain('14 üü');
    expect(body).not.toContain('\n0 üü');
  });

  it('token auth as Bearer, user:pass in the URL as Basic; a wrong one fails with the status, no secret', async () => {
    const s = await ntfy('Bearer tk_secret123');
    expect(
      await ntfyChannel(target(`${s.url}/t`, { token: 'tk_secret123' }), ctx).send(down(), 2000),
    ).toBeNull();
    const wrong = await ntfyChannel(target(`${s.url}/t`, { token: 'tk_wrong' }), ctx).send(
      down(),
      2000,
    );
    expect(wrong).toBe('HTTP 403');
    const basic = await ntfy(`Basic ${Buffer.from('me:pa ss').toString('base64')}`);
    const url = basic.url.replace('http://', 'http://me:pa%20ss@');
    expect(await ntfyChannel(target(`${url}/t`), ctx).send(down(), 2000)).toBeNull();
  });

  it('a configured priority wins; events filters', async () => {
    const s = await ntfy();
    const ch = ntfyChannel(target(`${s.url}/t`, { priority: 5, events: ['gateway_down'] }), ctx);
    expect(ch.wants('gateway_down')).toBe(true);
    expect(ch.wants('gateway_recovered')).toBe(false);
    await ch.send(down(), 2000);
    expect(s.got[0]!.priority).toBe(5);
  });
});
