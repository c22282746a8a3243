import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { argvSecrets, redactDeep, redactText, urlSecrets } from '../../src/lib/redact.js';
import { appendEvents } from '../../src/lib/store/events.js';
import { showValue } from '../../src/lib/errors.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';

afterEach(removeTempDirs);

describe('redactText', () => {
  it('removes configured secrets and key-shaped text, leaves ordinary text alone', () => {
    const cases: [string, string][] = [
      ['key sk-proj-abcdefghijklmnop in use', 'key <redacted> in use'],
      ['slack xoxb-123456789012-abcdefghijkl', 'slack <redacted>'],
      ['slack xoxp-123456789012-abcdefghijkl', 'slack <redacted>'],
      [`bot 123456789:${'a'.repeat(35)} here`, 'bot <redacted> here'],
      [`discord MTA${'x'.repeat(21)}.Gabcde.${'y'.repeat(27)} end`, 'discord <redacted> end'],
      ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer <redacted>'],
      ['url ?token=0a1b2c3d4e5f6a7b8c9d&x=1', 'url ?token=<redacted>&x=1'],
      ['password: "hunter2hunter2"', 'password: "<redacted>"'],
      ['run --api-key abcdef123456 --port 1', 'run --api-key <redacted> --port 1'],
      ['https://u:p4ss@example.com/x', 'https://u:<redacted>@example.com/x'],
      [
        'https://discord.com/api/webhooks/123/abcDEF',
        'https://discord.com/api/webhooks/<redacted>',
      ],
      ['https://hooks.slack.com/services/T0/B0/xyz', 'https://hooks.slack.com/<redacted>'],
    ];
    for (const [input, output] of cases) expect(redactText(input)).toBe(output);
    const plain = 'gateway down: connection refused on 127.0.0.1:18789 after 5000 ms (monkey key)';
    expect(redactText(plain)).toBe(plain);
    expect(redactText('auth token was missing. Generated a runtime token')).toBe(
      'auth token was missing. Generated a runtime token',
    );
    expect(redactText('my pw is Zz-9q', ['Zz-9q'])).toBe('my pw is <redacted>');
  });

  it('catches env-style assignments and any Authorization scheme', () => {
    const cases: [string, string][] = [
      ['OPENROUTER_API_KEY=or-v1-0123456789abcdef', 'OPENROUTER_API_KEY=<redacted>'],
      ['GEMINI_API_KEY=AIzaSyA-0123456789abcdefghij x', 'GEMINI_API_KEY=<redacted> x'],
      ['DISCORD_BOT_TOKEN=whatever-long-value-123', 'DISCORD_BOT_TOKEN=<redacted>'],
      ['TELEGRAM_BOT_TOKEN=7412345678:AAEhBOweik9ai2o4z8Qk3xY0', 'TELEGRAM_BOT_TOKEN=<redacted>'],
      ['OPENCLAW_GATEWAY_PASSWORD=hunter2hunter2', 'OPENCLAW_GATEWAY_PASSWORD=<redacted>'],
      ["export MY_SECRET='s3'", "export MY_SECRET='<redacted>'"],
      ['gemini_api_key: AIzaSyA-0123456789', 'gemini_api_key: <redacted>'],
      ['Authorization: Token abcdef1234567890', 'Authorization: Token <redacted>'],
      ['authorization=Digest username-and-more', 'authorization=Digest <redacted>'],
      ['Authorization: abcdef1234567890', 'Authorization: <redacted>'],
      ['{"password":"pa ss\\"word9","x":1}', '{"password":"<redacted>","x":1}'],
      ['telegram 123456789:AAH-abcdefghijklmnopqrstuvwxyz0123456 x', 'telegram <redacted> x'],
      [
        'GET https://api.telegram.org/bot123456789:AAHk3xZ9qL0mN4pR7sT1uV5wX8yZ2aB6cD0/getUpdates 502',
        'GET https://api.telegram.org/bot<redacted>/getUpdates 502',
      ],
      ['aws AKIAIOSFODNN7EXAMPLE/x', 'aws <redacted>/x'],
    ];
    for (const [input, output] of cases) expect(redactText(input)).toBe(output);
    // ordinary counts are left alone
    expect(redactText('max_tokens=4096 PATH_KEYS')).toBe('max_tokens=4096 PATH_KEYS');
  });

  it('removes configured secrets in their encoded forms: JSON-escaped, URL-encoded, base64', () => {
    const password = 'pa"ss word\\9';
    const token = 'Tok3n+With/Slash==';
    const text = [
      `json ${JSON.stringify({ pw: password })}`,
      `url /ws?t=${encodeURIComponent(token)}`,
      `form ${new URLSearchParams({ p: password }).toString()}`,
      `b64 ${Buffer.from(password).toString('base64')}`,
    ].join(' | ');
    const out = redactText(text, [password, token]);
    expect(out).toBe(
      'json {"pw":"<redacted>"} | url /ws?t=<redacted> | form p=<redacted> | b64 <redacted>',
    );
    // A webhook's user:pass is sent as Authorization: Basic base64(user:pass): that is secret too.
    const url = 'https://al%40ice:pa%22ss@hooks.example.com/x';
    const basic = Buffer.from('al@ice:pa"ss').toString('base64');
    expect(urlSecrets(url)).toContain(basic);
    expect(redactText(`sent ${basic}.`, urlSecrets(url))).toBe('sent <redacted>.');
  });

  it('redacts before JSON encoding: a secret holding " and \\ never reaches the log', () => {
    const secret = 'ab"c\\d-Q9';
    const file = join(tempDir(), 'events.jsonl');
    appendEvents(file, [{ level: 'error', event: 'x', output: `said ${secret}` }], 0, {
      maxBytes: 1 << 20,
      maxFiles: 2,
      secrets: [secret],
    });
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ output: 'said <redacted>' });
    expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(redactDeep({ a: [{ b: `x ${secret}` }] }, [secret])).toEqual({
      a: [{ b: 'x <redacted>' }],
    });
  });

  it('finds the secret parts of an argv and of a webhook URL', () => {
    expect(
      argvSecrets(['openclaw', '--token', 'T0k', '--api-key=K3y', 'GW_PASSWORD=pw', '--port', '1']),
    ).toEqual(['T0k', 'K3y', 'pw']);
    const parts = urlSecrets(
      'https://u:p%40ss@hooks.example.com/services/T000/B000/XXXXXXXXXX?k=v',
    );
    expect(parts).toEqual(expect.arrayContaining(['p%40ss', 'p@ss', 'XXXXXXXXXX', 'v']));
    expect(parts).not.toContain('services');
  });

  it('error messages never show key-shaped values', () => {
    expect(showValue('sk-abcdefghijklmnopq')).toBe('"<redacted>"');
  });
});
