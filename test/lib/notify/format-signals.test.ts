import { describe, expect, it } from 'vitest';
import { ALERT_EVENTS, describeEvent } from '../../../src/lib/notify/describe.js';
import { webhookBody } from '../../../src/lib/notify/format.js';

const MiB = 1024 * 1024;

describe('alerts for a stop the user meant and a low disk', () => {
  it('both alert by default, in every format', () => {
    expect(ALERT_EVENTS.has('gateway_stopped_by_user')).toBe(true);
    expect(ALERT_EVENTS.has('disk_low')).toBe(true);
  });

  it('gateway_stopped_by_user names how and when, and that it stays down', () => {
    const e = {
      level: 'warn' as const,
      event: 'gateway_stopped_by_user' as const,
      stoppedAt: '2026-11-26T10:00:00.123Z',
      source: 'openclaw' as const,
      pid: 4242,
    };
    expect(describeEvent(e)).toBe(
      'gateway stopped by the user (openclaw gateway stop at 2026-11-26T10:00:00.123Z); not restarting it until it is started again',
    );
    expect(describeEvent({ ...e, source: 'systemd', pid: null })).toMatch(/systemctl --user stop/);
    const body = webhookBody(
      { url: 'https://discord.com/api/webhooks/1/x', format: 'auto', events: null },
      e,
      '2026-11-26T10:00:01.000Z',
      { host: 'vps1', port: 18789 },
    );
    expect(body).toEqual({
      content: expect.stringMatching(
        /^🟠 openclaw-watchdog vps1:18789: gateway stopped by the user/,
      ),
    });
  });

  it('disk_low names the filesystems, their free space and the largest dirs', () => {
    const text = describeEvent({
      level: 'warn',
      event: 'disk_low',
      filesystems: [
        {
          paths: ['/home/u/.openclaw', '/tmp/openclaw'],
          freeBytes: 700 * MiB,
          totalBytes: 20_000 * MiB,
          freePercent: 3.5,
        },
      ],
      largest: [
        { path: '/tmp/openclaw', bytes: 3700 * MiB, truncated: false },
        { path: '/home/u/.openclaw/agents', bytes: 900 * MiB, truncated: true },
      ],
    });
    expect(text).toBe(
      'disk low: /home/u/.openclaw, /tmp/openclaw: 700 MiB free (3.5 %); largest: /tmp/openclaw 3700 MiB, /home/u/.openclaw/agents ≥ 900 MiB',
    );
  });
});
