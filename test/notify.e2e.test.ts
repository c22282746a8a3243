import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers/dirs.js';
import { healthy } from './helpers/gateways.js';
import { killTracked, startFakeGateway, waitFor } from './helpers/processes.js';
import { closeReceivers, receiver } from './helpers/receiver.js';
import { BAD_CONFIG_FLAGS, FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';

afterEach(async () => {
  killTracked();
  await closeReceivers();
  removeTempDirs();
});

describe('webhooks from a real check to real receivers', () => {
  it('one alert per incident change, in each format; recovery is announced', async () => {
    const [json, discord, slack] = [await receiver(), await receiver(), await receiver()];
    const h = await makeHome();
    const webhooks = [
      { url: json.url, format: 'json' },
      { url: discord.url, format: 'discord' },
      { url: slack.url, format: 'slack' },
    ];
    h.configure(withFakeRestart(h.port, [], { notify: { webhooks } }));
    expect((await h.check()).code).toBe(0);
    expect((await h.check()).code).toBe(0);
    expect(json.requests.map((r) => (r.body as { event: string }).event)).toEqual([
      'gateway_down',
      'gateway_restart',
      'gateway_recovered',
    ]);
    expect(json.requests[0]!.body).toMatchObject({
      event: 'gateway_down',
      port: h.port,
      level: 'error',
      details: { reason: 'nothing listens on the port' },
    });
    expect((json.requests[0]!.body as { ts: string }).ts).toMatch(/Z$/);
    expect(discord.requests.map((r) => Object.keys(r.body as object))).toEqual([
      ['content'],
      ['content'],
      ['content'],
    ]);
    expect((discord.requests[2]!.body as { content: string }).content).toMatch(
      /gateway recovered after/,
    );
    expect((slack.requests[1]!.body as { text: string }).text).toMatch(
      /gateway restarted \(crashed, via command, pid \d+\)/,
    );
    // each alert has its own id, in the body and (generic JSON) the Idempotency-Key header
    const ids = json.requests.map((r) => (r.body as { id: string }).id);
    expect(new Set(ids).size).toBe(3);
    expect(json.requests.map((r) => r.headers!['idempotency-key'])).toEqual(ids);
    expect(json.requests.every((r) => (r.body as { late?: boolean }).late === undefined)).toBe(
      true,
    );
    // all delivered: nothing waits, no outbox file
    expect(existsSync(join(h.dir, 'outbox.json'))).toBe(false);
  });

  it("a failing restart alerts once with the gateway's output; later checks of the same incident stay quiet", async () => {
    const hook = await receiver();
    const h = await makeHome();
    h.configure(
      withFakeRestart(h.port, BAD_CONFIG_FLAGS, { notify: { webhooks: [{ url: hook.url }] } }),
    );
    for (let i = 0; i < 3; i++) expect((await h.check()).code).toBe(1);
    const events = hook.requests.map((r) => (r.body as { event: string }).event);
    expect(events).toEqual(['gateway_down', 'gateway_restart', 'restart_failed']);
    expect((hook.requests[2]!.body as { details: { output: string } }).details.output).toContain(
      'Invalid config at /x/openclaw.json',
    );
    expect(h.eventNames().filter((n) => n === 'restart_deferred')).toHaveLength(2);
  });

  it('a receiver that never answers: the check still recovers the gateway, ends within its budget, logs notify_failed without the URL', async () => {
    const hook = await receiver('hang');
    const h = await makeHome();
    const notify = { webhooks: [{ url: hook.url }], timeoutMs: 300 };
    h.configure(withFakeRestart(h.port, [], { notify }));
    const started = Date.now();
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await healthy(h.port)).toBe(true);
    const failed = h.events().find((e) => e.event === 'notify_failed')!;
    expect(failed).toMatchObject({
      about: 'gateway_down',
      error: 'no answer within 300 ms',
      queued: 3, // gateway_down, gateway_restart, gateway_recovered wait in the outbox
    });
    expect(hook.requests).toHaveLength(1); // one try, then it gave up on this hook for this check
    const log = JSON.stringify(h.events());
    expect(log).not.toContain('secret-part');
    expect(h.eventNames().indexOf('gateway_recovered')).toBeLessThan(
      h.eventNames().indexOf('notify_failed'),
    );
  });

  it('a healthy gateway never alerts', async () => {
    const hook = await receiver();
    const h = await makeHome();
    h.configure({ ...FAST, notify: { webhooks: [{ url: hook.url }] } });
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    expect(hook.requests).toEqual([]);
  });
});

describe('secrets in alerts and reports', () => {
  it('restart_failed output reaches the hook and the log with every configured secret and key-shaped text redacted', async () => {
    const hook = await receiver();
    const h = await makeHome();
    const password = 'PW-plain-Zq9x';
    writeFileSync(
      join(h.stateDir, 'openclaw.json'),
      JSON.stringify({ gateway: { auth: { mode: 'password', password } } }),
    );
    const telegram = `123456789:${'A'.repeat(35)}`;
    const leak = [
      `password ${password}`,
      `webhook ${hook.url}`,
      'openai sk-live1234567890abcdef',
      'slack xoxb-1234567890-abcdefghij',
      `telegram ${telegram}`,
      'Authorization: Bearer abcdef0123456789abcdef',
      'api_key=0123456789abcdef0123456789abcdef',
    ].join(' | ');
    h.configure(
      withFakeRestart(h.port, ['--crash-after', '0', '--exit-code', '78', '--print', leak], {
        notify: { webhooks: [{ url: hook.url, format: 'discord' }] },
      }),
    );
    expect((await h.check()).code).toBe(1);
    const failed = hook.requests.find((r) =>
      String((r.body as { content: string }).content).includes('restart failed'),
    );
    expect(failed).toBeDefined();
    const sent = JSON.stringify(hook.requests.map((r) => r.body));
    const logged = readFileSync(join(h.dir, 'events.jsonl'), 'utf8');
    expect(logged).toContain('restart_failed');
    for (const text of [sent, logged]) {
      expect(text).toContain('<redacted>');
      for (const secret of [
        password,
        'secret-part',
        'sk-live1234567890abcdef',
        'xoxb-1234567890',
        telegram,
        'abcdef0123456789abcdef',
        '0123456789abcdef0123456789abcdef',
      ])
        expect(text).not.toContain(secret);
    }
  });

  it('restart_failed output: env-style keys, any Authorization scheme and encoded configured secrets are redacted too', async () => {
    const hook = await receiver();
    const h = await makeHome();
    const password = 'pa ss"w0rd-Q9';
    const token = 'Tok3n+With/Slash==';
    writeFileSync(
      join(h.stateDir, 'openclaw.json'),
      JSON.stringify({ gateway: { auth: { mode: 'password', password, token } } }),
    );
    const url = hook.url.replace('http://', 'http://alert-user:hook-pw-Zq9@');
    const basic = Buffer.from('alert-user:hook-pw-Zq9').toString('base64');
    // (not NAME=… first: restart.command's `NAME=value` arguments are configured secrets already)
    const leak = [
      'gateway env:',
      'OPENROUTER_API_KEY=or-v1-0123456789abcdef',
      'GEMINI_API_KEY=AIzaSyA-0123456789abcdefghij',
      'DISCORD_BOT_TOKEN=whatever-long-value-123',
      'OPENCLAW_GATEWAY_PASSWORD=hunter2hunter2',
      'Authorization: Token tok-abcdef1234567890',
      `config ${JSON.stringify({ gateway: { auth: { password } } })}`,
      `GET /ws?t=${encodeURIComponent(token)}`,
      `hook auth ${basic}`,
    ].join(' | ');
    h.configure(
      withFakeRestart(h.port, ['--crash-after', '0', '--exit-code', '78', '--print', leak], {
        notify: { webhooks: [{ url, format: 'json' }] },
      }),
    );
    const r = await h.check(['--json']);
    expect(r.code).toBe(1);
    const sent = JSON.stringify(hook.requests.map((q) => q.body));
    const logged = readFileSync(join(h.dir, 'events.jsonl'), 'utf8');
    expect(logged).toContain('restart_failed');
    expect(sent).toContain('restart_failed');
    for (const text of [sent, logged, r.stdout]) {
      expect(text).toContain('OPENROUTER_API_KEY=<redacted>');
      for (const secret of [
        'or-v1-0123456789abcdef',
        'AIzaSyA-0123456789abcdefghij',
        'whatever-long-value-123',
        'hunter2hunter2',
        'tok-abcdef1234567890',
        'w0rd-Q9',
        encodeURIComponent(token),
        basic,
      ])
        expect(text).not.toContain(secret);
    }
  });

  it('a webhook URL with user:pass@ is delivered with Authorization: Basic, and check --json never prints the password', async () => {
    const hook = await receiver();
    const h = await makeHome();
    const url = hook.url.replace('http://', 'http://alert-user:pa%22ss%5Cw0rd-Q7@');
    h.configure(withFakeRestart(h.port, [], { notify: { webhooks: [{ url, format: 'json' }] } }));
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    expect(hook.requests.length).toBeGreaterThan(0);
    expect(hook.requests[0]!.authorization).toBe(
      `Basic ${Buffer.from('alert-user:pa"ss\\w0rd-Q7').toString('base64')}`,
    );
    for (const text of [r.stdout, r.stderr, readFileSync(join(h.dir, 'events.jsonl'), 'utf8')]) {
      expect(text).not.toContain('w0rd-Q7');
      expect(text).not.toContain('secret-part');
    }
  });
});
