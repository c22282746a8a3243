import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/load.js';
import { ConfigError } from '../../../src/lib/errors.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

function home(files: Record<string, string> = {}): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    const file = join(dir, '.openclaw', name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

const JSON5_CONFIG = `// OpenClaw config, as users write it
{
  gateway: {
    mode: 'local',
    port: 18795, // comment
    auth: { mode: 'token', token: 'facttok', },
  },
}`;

describe('loadConfig: zero configuration', () => {
  it('uses 18789 on 127.0.0.1 and every default when nothing exists', () => {
    const config = loadConfig({}, { HOME: home() });
    expect(config.port).toBe(18789);
    expect(config.portSource).toBe('default');
    expect(config.host).toBe('127.0.0.1');
    expect(config.token).toBeNull();
    expect(config.settings.probe.hungAfterSec).toBe(60);
    expect(config.settings.restart.maxDelaySec).toBe(1800);
    expect(config.settings.orphans.patterns).toEqual(['openclaw-*']);
  });
});

describe('loadConfig: OpenClaw config and environment', () => {
  it('reads port and token from a JSON5 openclaw.json', () => {
    const config = loadConfig({}, { HOME: home({ 'openclaw.json': JSON5_CONFIG }) });
    expect(config.port).toBe(18795);
    expect(config.portSource).toBe('openclaw-config');
    expect(config.token).toBe('facttok');
  });

  it('port: env beats openclaw.json; token: openclaw.json beats env', () => {
    const env = {
      HOME: home({ 'openclaw.json': JSON5_CONFIG }),
      OPENCLAW_GATEWAY_PORT: '18796',
      OPENCLAW_GATEWAY_TOKEN: 'envtok',
    };
    const config = loadConfig({}, env);
    expect(config.port).toBe(18796);
    expect(config.portSource).toBe('env');
    expect(config.token).toBe('facttok');
  });

  it('takes the env token when openclaw.json has none, and <state dir>/.env under the process env', () => {
    const dir = home({ '.env': 'OPENCLAW_GATEWAY_TOKEN=dotenvtok\nOPENCLAW_GATEWAY_PORT=19001\n' });
    expect(loadConfig({}, { HOME: dir })).toMatchObject({
      token: 'dotenvtok',
      port: 19001,
      portSource: 'env',
    });
    expect(loadConfig({}, { HOME: dir, OPENCLAW_GATEWAY_PORT: '19002' }).port).toBe(19002);
  });

  it("uses a profile's state dir and hash port", () => {
    const config = loadConfig({ profile: 'work' }, { HOME: home() });
    expect(config.port).toBe(41984);
    expect(config.portSource).toBe('profile');
    expect(config.paths.stateDir.endsWith('.openclaw-work')).toBe(true);
  });

  it("lets the watchdog's own gateway.port and gateway.token win over everything", () => {
    const dir = home({
      'openclaw.json': JSON5_CONFIG,
      'watchdog/config.json': '{gateway: {port: 20001, token: "wdtok"}}',
    });
    const config = loadConfig({}, { HOME: dir, OPENCLAW_GATEWAY_PORT: '18796' });
    expect(config).toMatchObject({ port: 20001, portSource: 'watchdog-config', token: 'wdtok' });
  });

  it('names openclaw.json when it is not JSON5', () => {
    const dir = home({ 'openclaw.json': '{ gateway: { port: 1, }' });
    expect(() => loadConfig({}, { HOME: dir })).toThrow(/openclaw\.json: not valid JSON5 \(line 1/);
  });
});

describe('loadConfig: validation names the file, the key and the value', () => {
  const cases: [string, string, RegExp][] = [
    ['bad JSON5', '{ probe: ', /config\.json: not valid JSON5/],
    ['unknown section', '{ watchdog: {} }', /config\.json: watchdog: unknown key/],
    ['unknown key', '{ probe: { timeoutMS: 5 } }', /config\.json: probe\.timeoutMS: unknown key/],
    [
      'wrong type',
      '{ probe: { timeoutMs: "5s" } }',
      /probe\.timeoutMs: must be a whole number, got "5s"/,
    ],
    [
      'out of range',
      '{ probe: { timeoutMs: 10 } }',
      /probe\.timeoutMs: must be between 100 and 60000, got 10/,
    ],
    [
      'argv not array',
      '{ restart: { command: "openclaw gateway run" } }',
      /restart\.command: must be a non-empty array of strings/,
    ],
    [
      'enum',
      '{ orphans: { action: "kill" } }',
      /orphans\.action: must be one of reap, report, got "kill"/,
    ],
    [
      'webhook url',
      '{ notify: { webhooks: [{ url: "ftp://secret@x" }] } }',
      /notify\.webhooks\[0\]\.url: must be an http\(s\) URL, got <redacted>/,
    ],
    [
      'webhook format',
      '{ notify: { webhooks: [{ url: "https://x.test/h", format: "teams" }] } }',
      /notify\.webhooks\[0\]\.format/,
    ],
    [
      'heartbeat url',
      '{ notify: { heartbeat: { url: "ftp://x/secret" } } }',
      /notify\.heartbeat\.url: must be an http\(s\) URL, got <redacted>/,
    ],
    [
      'heartbeat format',
      '{ notify: { heartbeat: { url: "https://x.test/h", format: "cronitor" } } }',
      /notify\.heartbeat\.format: must be one of auto, healthchecks, uptime-kuma, json, got "cronitor"/,
    ],
    [
      'heartbeat start',
      '{ notify: { heartbeat: { url: "https://x.test/api/push/x", format: "uptime-kuma", start: true } } }',
      /notify\.heartbeat\.start: only healthchecks\.io has a start ping/,
    ],
    [
      'heartbeat timeout',
      '{ notify: { heartbeat: { url: "https://x.test/h", timeoutMs: 10 } } }',
      /notify\.heartbeat\.timeoutMs: must be a whole number between 100 and 60000, got 10/,
    ],
    [
      'heartbeat key',
      '{ notify: { heartbeat: { url: "https://x.test/h", every: 1 } } }',
      /notify\.heartbeat\.every: unknown key \(known: url, format, start, timeoutMs\)/,
    ],
    ['not an object', '[1, 2]', /config\.json: the top level must be an object/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      const dir = home({ 'watchdog/config.json': text });
      let caught: unknown;
      try {
        loadConfig({}, { HOME: dir });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).toContain(
        join(dir, '.openclaw', 'watchdog', 'config.json'),
      );
    });
  }

  it('never shows a token in an error', () => {
    const dir = home({ 'watchdog/config.json': '{ gateway: { token: 12345 } }' });
    expect(() => loadConfig({}, { HOME: dir })).toThrow(
      /gateway\.token: must be a non-empty string, got <redacted>/,
    );
  });

  it('an explicitly named config must exist; the default one may be missing', () => {
    expect(() => loadConfig({ config: '/nonexistent/wd.json' }, { HOME: home() })).toThrow(
      /\/nonexistent\/wd\.json: cannot read: no such file/,
    );
  });
});

describe('loadConfig: hostile or odd input is one ConfigError, never a crash or a secret', () => {
  const fail = (text: string) => {
    const dir = home({ 'watchdog/config.json': text });
    try {
      loadConfig({}, { HOME: dir });
    } catch (error) {
      return error as Error;
    }
    throw new Error('no error');
  };

  it('keys named like Object.prototype members are unknown keys, not a TypeError', () => {
    for (const [text, key] of [
      ['{ constructor: {} }', 'constructor'],
      ['{ toString: {} }', 'toString'],
      ['{ probe: { toString: 1 } }', 'probe.toString'],
      ['{ probe: { constructor: 1 } }', 'probe.constructor'],
      ['{ __proto__: { x: 1 } }', null],
    ] as const) {
      const dir = home({ 'watchdog/config.json': text });
      if (key === null) {
        expect(() => loadConfig({}, { HOME: dir })).not.toThrow(TypeError);
        continue;
      }
      const error = fail(text);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(`${key}: unknown key`);
    }
  });

  it('gateway.host must be an IP address or a host name', () => {
    for (const bad of ['bad host', '999.1.1.1', 'http://x', 'a/b', '[::1]']) {
      const error = fail(JSON.stringify({ gateway: { host: bad } }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(/gateway\.host: must be an IP address or a host name/);
    }
    for (const good of ['127.0.0.1', '::1', 'localhost', 'gw.example.com']) {
      const dir = home({ 'watchdog/config.json': JSON.stringify({ gateway: { host: good } }) });
      expect(loadConfig({}, { HOME: dir }).host).toBe(good);
    }
  });

  it('never shows a webhook URL, the restart argv or a token, whatever the mistake', () => {
    const cases = [
      '{ notify: "https://hooks.slack.com/services/T1/B2/SEKRIT99" }',
      '{ notify: { webhooks: "https://hooks.slack.com/services/T1/B2/SEKRIT99" } }',
      '{ notify: { webhooks: ["https://hooks.slack.com/services/T1/B2/SEKRIT99"] } }',
      '{ notify: { webhooks: [{ url: "nope://SEKRIT99" }] } }',
      '{ notify: { heartbeat: "https://hc-ping.com/SEKRIT99" } }',
      '{ notify: { heartbeat: { url: ["https://hc-ping.com/SEKRIT99"] } } }',
      '{ restart: { command: "openclaw gateway run --token SEKRIT99" } }',
      '{ restart: { command: ["openclaw", 1, "--token", "SEKRIT99"] } }',
      '{ restart: "openclaw --token SEKRIT99" }',
      '{ gateway: "SEKRIT99" }',
      '{ gateway: { token: ["SEKRIT99"] } }',
    ];
    for (const text of cases) {
      const error = fail(text);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('<redacted>');
      expect(error.message).not.toContain('SEKRIT99');
    }
  });

  it("reads OpenClaw's gateway password (config or OPENCLAW_GATEWAY_PASSWORD) as a secret", () => {
    const dir = home({ 'openclaw.json': '{ gateway: { auth: { password: "pw-${PWVAR}" } } }' });
    expect(loadConfig({}, { HOME: dir, PWVAR: 'x1' }).password).toBe('pw-x1');
    expect(loadConfig({}, { HOME: home(), OPENCLAW_GATEWAY_PASSWORD: 'envpw' }).password).toBe(
      'envpw',
    );
  });
});
