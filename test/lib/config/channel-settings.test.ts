import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../../src/lib/config/validate.js';
import { ConfigError } from '../../../src/lib/errors.js';

const TOKEN = `123456789:${'A'.repeat(35)}`;
const notify = (n: Record<string, unknown>) => validateSettings({ notify: n }, '/c.json').notify;

/** The one-line message a config mistake gives. */
function mistake(n: Record<string, unknown>): string {
  try {
    notify(n);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('notify.ntfy / notify.telegram / notify.commands', () => {
  it('fills defaults: no priority (by level), no tags, every alert event, Telegram at api.telegram.org', () => {
    const n = notify({
      ntfy: [{ url: 'https://ntfy.sh/oc-alerts' }],
      telegram: [{ botToken: TOKEN, chatId: -1001234 }],
      commands: [{ argv: ['logger', '-t', 'openclaw-watchdog'] }],
    });
    expect(n.ntfy).toEqual([
      { url: 'https://ntfy.sh/oc-alerts', token: null, priority: null, tags: [], events: null },
    ]);
    expect(n.telegram).toEqual([
      { botToken: TOKEN, chatId: '-1001234', apiRoot: 'https://api.telegram.org', events: null },
    ]);
    expect(n.commands).toEqual([
      { argv: ['logger', '-t', 'openclaw-watchdog'], timeoutMs: null, events: null },
    ]);
    expect(
      notify({ ntfy: [{ url: 'https://n.test/t', priority: 'urgent' }] }).ntfy[0]!.priority,
    ).toBe(5);
  });

  it('each mistake is one line naming the key; secrets are never shown', () => {
    expect(mistake({ ntfy: [{ url: 'https://ntfy.sh/' }] })).toBe(
      '/c.json: notify.ntfy[0].url: must name a topic: https://ntfy.sh/<topic>',
    );
    expect(mistake({ ntfy: [{ url: 'https://n.test/t', priority: 9 }] })).toContain(
      'notify.ntfy[0].priority: must be 1-5 or min, low, default, high, urgent, got 9',
    );
    expect(mistake({ ntfy: [{ url: 'https://n.test/t', topic: 'x' }] })).toContain(
      'notify.ntfy[0].topic: unknown key',
    );
    const badToken = mistake({ telegram: [{ botToken: 'not-a-token-Zq9', chatId: 1 }] });
    expect(badToken).toContain('notify.telegram[0].botToken:');
    expect(badToken).not.toContain('Zq9');
    expect(mistake({ telegram: [{ botToken: TOKEN, chatId: 'room' }] })).toContain(
      'notify.telegram[0].chatId: must be a numeric chat id or @channelname, got "room"',
    );
    const argv = mistake({ commands: [{ argv: 'mail -s x me --password hunter2' }] });
    expect(argv).toContain('notify.commands[0].argv: must be a non-empty array of strings');
    expect(argv).not.toContain('hunter2');
    expect(mistake({ commands: [{ argv: ['x'], timeoutMs: 5 }] })).toContain(
      'notify.commands[0].timeoutMs: must be a whole number between 100 and 600000, got 5',
    );
    expect(mistake({ telegram: { botToken: TOKEN } })).toBe(
      '/c.json: notify.telegram: must be an array of objects, got <redacted>',
    );
  });
});
