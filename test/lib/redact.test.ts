import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED, argvSecrets, redactDeep, redactText, urlSecrets } from '../../src/lib/redact.js';
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

// Each shape a pattern claims, at its length boundaries, and what it must leave alone (issue 23:
// mutation testing). `same` = must come out unchanged.
const same = (text: string) => expect(redactText(text)).toBe(text);
const gone = (text: string, out: string) => expect(redactText(text)).toBe(out);

describe('redactText patterns', () => {
  it('user:password@ in a URL, any user name', () => {
    gone(
      'smtp://alice:s3cr3t@mail.example.com:587',
      'smtp://alice:<redacted>@mail.example.com:587',
    );
    gone('redis://:pw@127.0.0.1:6379/0', 'redis://:<redacted>@127.0.0.1:6379/0');
    same('https://example.com/a:b@c');
  });

  it('Discord and Slack webhook URLs, http or https, any Discord host', () => {
    for (const host of ['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary-x.discord.com'])
      for (const scheme of ['http', 'https'])
        gone(
          `post ${scheme}://${host}/api/webhooks/1234567890/AbC-dEf_123 failed`,
          `post ${scheme}://${host}/api/webhooks/<redacted> failed`,
        );
    gone('"http://hooks.slack.com/services/T0/B0/Xy"', '"http://hooks.slack.com/<redacted>"');
    same('https://discord.com/channels/123/456');
  });

  it('API keys and tokens by prefix, from their minimum length on', () => {
    gone('k sk-abcdefgh', 'k <redacted>');
    same('k sk-abcdefg');
    for (const kind of 'abposr') gone(`t xox${kind}-12345678 x`, 't <redacted> x');
    same('t xoxb-1234567');
    for (const kind of 'pousr') gone(`t gh${kind}_${'aB3'.repeat(7)} x`, 't <redacted> x');
    gone(`ghp_${'a'.repeat(20)}`, REDACTED);
    same(`ghp_${'a'.repeat(19)}`);
    same(`ghx_${'a'.repeat(30)}`);
  });

  it('Telegram bot tokens: 5+ digits, 30 to 45 characters, also inside a Bot API URL', () => {
    gone(`12345:${'a'.repeat(30)}`, REDACTED);
    gone(`12345:${'a'.repeat(45)}`, REDACTED);
    same(`1234:${'a'.repeat(35)}`);
    same(`12345:${'a'.repeat(29)}`);
    same(`12345:${'a'.repeat(46)}`);
  });

  it('AWS key ids, Discord bot tokens', () => {
    gone('id ASIAIOSFODNN7EXAMPLE.', 'id <redacted>.');
    same('id AKIAIOSFODNN7EXAMPL');
    gone(`${'M'.repeat(28)}.GaBcDe.${'y'.repeat(27)}`, REDACTED);
    same(`${'M'.repeat(22)}.GaBcDe.${'y'.repeat(27)}`);
  });

  it('Authorization headers: any scheme, quoted keys, spaces', () => {
    gone('{"Authorization":"Token abcdef1234567890"}', '{"Authorization":"Token <redacted>"}');
    gone('authorization = Digest abcd', 'authorization = Digest <redacted>');
    gone('Authorization: Token   abcdef123456', 'Authorization: Token   <redacted>');
    gone("authorization='abcd'", "authorization='<redacted>'");
    same('Authorization: abc');
  });

  it('Bearer and Basic credentials outside an Authorization header, 8+ characters', () => {
    gone('sent Bearer abcdefgh to x', 'sent Bearer <redacted> to x');
    gone('sent bearer   abc.def~ghi+/= x', 'sent bearer <redacted> x');
    gone('hdr Basic dXNlcjpwYXNz', 'hdr Basic <redacted>');
    same('sent Bearer abcdefg');
  });

  it('environment-style assignments, short values too', () => {
    gone('MY_SECRET=s3cr', 'MY_SECRET=<redacted>');
    gone('OPENCLAW_GATEWAY_PASSWORD=pw12 up', 'OPENCLAW_GATEWAY_PASSWORD=<redacted> up');
    gone('GCP_CREDENTIAL=ab12', 'GCP_CREDENTIAL=<redacted>');
    gone('X_TOKEN="ab12"', 'X_TOKEN="<redacted>"');
    for (const name of ['DB_PASS', 'DB_PWD', 'DB_PASSWD', 'A_CREDENTIALS', 'API_KEYS'])
      gone(`${name}=ab12&x=1`, `${name}=<redacted>&x=1`);
    same('my_secret=ab12');
  });

  it('JSON string values of secret keys: spaces, quotes and escapes included', () => {
    for (const key of ['password', 'passwd', 'gateway_password', 'apikey', 'api_key', 'x-api-key'])
      gone(`{"${key}":"a b"}`, `{"${key}":"<redacted>"}`);
    for (const key of ['credential', 'credentials', 'tokens', 'secret'])
      gone(`{"${key}" : "a \\"b"}`, `{"${key}" : "<redacted>"}`);
    same('{"name":"a b"}');
  });

  it('key=value and key: value, 6+ characters', () => {
    for (const key of [
      'apikey',
      'api_key',
      'accesskey',
      'access-key',
      'token',
      'passwd',
      'key',
      'credential',
      'secrets',
    ])
      gone(`${key}=abcdef;x`, `${key}=<redacted>;x`);
    gone("{'token': 'abcdef12'}", "{'token': '<redacted>'}");
    gone('token = abcdef12', 'token = <redacted>');
    same('token=abcde');
    same('monkey=abcdef12');
  });

  it('a flag and its separate value', () => {
    gone('--token abcdef', '--token <redacted>');
    same('--token abcde');
    gone('cmd -password hunter22', 'cmd -password <redacted>');
    gone('cmd --secret-value  s3cr3tval', 'cmd --secret-value  <redacted>');
    gone('a\n--passwd "hunter22"', 'a\n--passwd "<redacted>"');
    gone('cmd --credential abcdef', 'cmd --credential <redacted>');
    same('cmd --token -v');
    same('x--token abcdef12');
  });

  it('configured secrets go first, longest first, from 4 characters on', () => {
    // patterns first would leave the part after the space
    expect(redactText('token=abcdef ghij', ['abcdef ghij'])).toBe('token=<redacted>');
    expect(redactText('pw abcdefgh', ['abcd', 'ab12', 'abcdefgh'])).toBe('pw <redacted>');
    expect(redactText('pw pw12', ['pw12'])).toBe('pw <redacted>');
    expect(redactText('abc abcdef', ['abc'])).toBe('abc abcdef');
  });

  it('each encoded form of a configured secret', () => {
    const secret = '????'; // base64 Pz8/Pw==, base64url Pz8_Pw
    for (const form of ['Pz8/Pw==', 'Pz8/Pw', 'Pz8_Pw', '%3F%3F%3F%3F'])
      expect(redactText(`x ${form} y`, [secret])).toBe('x <redacted> y');
  });
});

describe('redactDeep', () => {
  it('redacts object keys, and values nested as deep as it walks', () => {
    expect(redactDeep({ 'k-pw12': ['pw12', 7, null] }, ['pw12'])).toEqual({
      'k-<redacted>': ['<redacted>', 7, null],
    });
  });

  it('never returns a secret nested deeper than it walks', () => {
    const nest = (n: number): unknown => (n === 0 ? 'said pw12' : { a: nest(n - 1) });
    const list = (n: number): unknown => (n === 0 ? 'said pw12' : [list(n - 1)]);
    expect(JSON.stringify(redactDeep(list(21), ['pw12']))).toContain('["said <redacted>"]');
    expect(JSON.stringify(redactDeep(list(22), ['pw12']))).toContain('["<redacted>"]');
    for (const depth of [20, 21, 30]) {
      const text = JSON.stringify(redactDeep(nest(depth), ['pw12']));
      expect(text).not.toContain('pw12');
    }
    // 21 levels of objects are walked; the 22nd is replaced whole
    expect(JSON.stringify(redactDeep(nest(21), ['pw12']))).toContain('{"a":"said <redacted>"}');
    expect(JSON.stringify(redactDeep(nest(22), ['pw12']))).toContain('{"a":"<redacted>"}');
    const cycle: Record<string, unknown> = { s: 'pw12' };
    cycle.self = cycle;
    expect(JSON.stringify(redactDeep(cycle, ['pw12']), (_k, v: unknown) => v)).not.toContain(
      'pw12',
    );
  });
});

describe('argvSecrets', () => {
  it('values after credential flags; a user name alone, a port and a missing value are none', () => {
    expect(argvSecrets(['curl', '-u', 'alice:pw12', '-U', 'bob'])).toEqual(['alice:pw12', 'pw12']);
    expect(argvSecrets(['curl', '--user', 'alice', '--proxy-user', 'p:a:b'])).toEqual([
      'p:a:b',
      'a:b',
    ]);
    expect(argvSecrets(['ssh', '-p', '2222', 'host'])).toEqual([]);
    expect(argvSecrets(['curl', '-u', 'alice', '--proxy-user', 'bob', 'x'])).toEqual([]);
    for (const value of ['hunter22', '123abc', 'abc123'])
      expect(argvSecrets(['mysql', '-p', value])).toEqual([value]);
    expect(argvSecrets(['x', '--password', 'pw'])).toEqual(['pw']);
    expect(argvSecrets(['x', '--pass', '2222'])).toEqual(['2222']);
    expect(argvSecrets(['x', '--passwd=pw', '--pass=s3'])).toEqual(['pw', 's3']);
    expect(argvSecrets(['x', '-p'])).toEqual([]);
    expect(argvSecrets(['x', '--token'])).toEqual([]);
    expect(argvSecrets(['x', '-apikey', 'K3y123'])).toEqual(['K3y123']);
  });

  it('only whole flags count: file names and other flags are not', () => {
    expect(argvSecrets(['cp', 'notes-u', 'notes-v', 'api-key-rotation.md', 'README.md'])).toEqual(
      [],
    );
    expect(argvSecrets(['curl', '--user-agent', 'Mozilla', '--no-p', 'x'])).toEqual([]);
    expect(argvSecrets(['x', '--opt=a-p', 'y'])).toEqual([]);
    // NAME=value inside a shell line is no argument of its own: the text patterns catch it there
    expect(argvSecrets(['sh', '-c', 'echo token=abcdef'])).toEqual([]);
    expect(redactText('sh -c echo token=abcdef')).toBe('sh -c echo token=<redacted>');
  });

  it('the password of user:pass@ in a URL argument, encoded and decoded', () => {
    expect(argvSecrets(['curl', 'smtp://alice:pa%40ss12@mail.example.com'])).toEqual([
      'pa%40ss12',
      'pa@ss12',
      'alice:pa%40ss12',
    ]);
    expect(argvSecrets(['x', 'a://bob:pw1@h'])).toEqual(['pw1', 'bob:pw1']);
    expect(argvSecrets(['x', 's3://AKIAX:se%ZZret@bucket'])).toEqual([
      'se%ZZret',
      'AKIAX:se%ZZret',
    ]);
  });

  it('a bare user:password argument: 8+ characters, letters and digits, no path', () => {
    expect(argvSecrets(['sshpass', 'alice:s3cretPa'])).toEqual(['alice:s3cretPa', 's3cretPa']);
    for (const arg of [
      'alice:s3cretP',
      'alice:abcdefgh',
      'alice:12345678',
      'server1:backups2024/daily',
      'opt=alice:s3cretPa',
      'alice:s3cr@tPa1',
    ])
      expect(argvSecrets(['x', arg])).toEqual([]);
  });
});

describe('urlSecrets', () => {
  it('a URL without user or secret path parts gives itself and its plain href', () => {
    expect(urlSecrets('https://ntfy.sh/alerts')).toEqual([
      'https://ntfy.sh/alerts',
      'https://ntfy.sh/alerts',
    ]);
    expect(urlSecrets('not a url')).toEqual(['not a url']);
  });

  it('user, password, the Basic pair, random-looking path parts, query values', () => {
    const url = 'https://tok3n@ntfy.example.com/Abcdefgh/abcdefg1/Abcdefg/' + 'a'.repeat(20);
    expect(urlSecrets(`${url}/${'b'.repeat(19)}?k=v1`)).toEqual([
      `${url}/${'b'.repeat(19)}?k=v1`,
      'tok3n',
      Buffer.from('tok3n:').toString('base64'),
      'Abcdefgh',
      'abcdefg1',
      'a'.repeat(20),
      'v1',
      `https://ntfy.example.com/Abcdefgh/abcdefg1/Abcdefg/${'a'.repeat(20)}/${'b'.repeat(19)}?k=v1`,
    ]);
    expect(urlSecrets('https://:pw%2512@x.example/')).toEqual([
      'https://:pw%2512@x.example/',
      'pw%2512',
      'pw%12',
      Buffer.from(':pw%12').toString('base64'),
      'https://x.example/',
    ]);
  });
});
