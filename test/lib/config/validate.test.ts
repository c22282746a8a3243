import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { isHost, validateSettings } from '../../../src/lib/config/validate.js';
import { checkHeartbeat } from '../../../src/lib/config/validate-heartbeat.js';
import { checkChoice, checkEntry, checkHttpUrl } from '../../../src/lib/config/validate-parts.js';
import { ConfigError } from '../../../src/lib/errors.js';

const FILE = '/home/u/.openclaw/watchdog/config.json';

/** The one-line error validateSettings gives for `raw` (fails the test if it accepts it). */
function error(raw: unknown): ConfigError {
  try {
    validateSettings(raw, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}
const message = (raw: unknown) => error(raw).message;
const ok = (raw: unknown) => validateSettings(raw, FILE);

describe('validateSettings: every kind, accepted and refused, the message naming file, key and value', () => {
  it('defaults fill in what is not set; $schema is allowed', () => {
    expect(ok({})).toEqual(defaultSettings());
    expect(ok({ $schema: './schema.json' })).toEqual(defaultSettings());
    expect(ok({ probe: { timeoutMs: 500 } }).probe).toEqual({
      ...defaultSettings().probe,
      timeoutMs: 500,
    });
  });

  it('the top level and each section must be objects; unknown sections and keys are named with the known ones', () => {
    expect(message([])).toBe(`${FILE}: the top level must be an object`);
    expect(message(null)).toBe(`${FILE}: the top level must be an object`);
    expect(message({ probe: 5 })).toBe(`${FILE}: probe: must be an object, got 5`);
    expect(message({ probe: [] })).toBe(`${FILE}: probe: must be an object, got []`);
    expect(message({ watchdog: {} })).toMatch(
      new RegExp(`^${FILE}: watchdog: unknown key \\(known: gateway, probe, restart, `),
    );
    expect(message({ probe: { nope: 1 } })).toBe(
      `${FILE}: probe.nope: unknown key (known: timeoutMs, hungAfterSec, startupGraceSec)`,
    );
    // A secret section shown as a value is never shown.
    expect(message({ gateway: 'tok-123' })).toBe(
      `${FILE}: gateway: must be an object, got <redacted>`,
    );
  });

  it('int: whole numbers within [min, max], both ends included', () => {
    expect(ok({ probe: { timeoutMs: 100 } }).probe.timeoutMs).toBe(100);
    expect(ok({ probe: { timeoutMs: 60_000 } }).probe.timeoutMs).toBe(60_000);
    expect(message({ probe: { timeoutMs: 99 } })).toBe(
      `${FILE}: probe.timeoutMs: must be between 100 and 60000, got 99`,
    );
    expect(message({ probe: { timeoutMs: 60_001 } })).toBe(
      `${FILE}: probe.timeoutMs: must be between 100 and 60000, got 60001`,
    );
    expect(message({ probe: { timeoutMs: 150.5 } })).toBe(
      `${FILE}: probe.timeoutMs: must be a whole number, got 150.5`,
    );
    expect(message({ probe: { timeoutMs: '500' } })).toBe(
      `${FILE}: probe.timeoutMs: must be a whole number, got "500"`,
    );
  });

  it('nullable keys take null; others refuse it', () => {
    expect(ok({ disk: { warnFreeMB: null } }).disk.warnFreeMB).toBeNull();
    expect(ok({ restart: { command: null } }).restart.command).toBeNull();
    expect(message({ probe: { timeoutMs: null } })).toBe(
      `${FILE}: probe.timeoutMs: must be a whole number, got null`,
    );
  });

  it('mib: a whole number of MiB within range, "auto", or null', () => {
    expect(ok({ memory: { warnAboveMB: 'auto' } }).memory.warnAboveMB).toBe('auto');
    expect(ok({ memory: { warnAboveMB: null } }).memory.warnAboveMB).toBeNull();
    expect(ok({ memory: { warnAboveMB: 1 } }).memory.warnAboveMB).toBe(1);
    expect(ok({ memory: { restartAboveMB: 1 << 24 } }).memory.restartAboveMB).toBe(1 << 24);
    expect(message({ memory: { warnAboveMB: 0 } })).toBe(
      `${FILE}: memory.warnAboveMB: must be between 1 and 16777216, got 0`,
    );
    expect(message({ memory: { warnAboveMB: (1 << 24) + 1 } })).toBe(
      `${FILE}: memory.warnAboveMB: must be between 1 and 16777216, got 16777217`,
    );
    expect(message({ memory: { warnAboveMB: 1.5 } })).toBe(
      `${FILE}: memory.warnAboveMB: must be a whole number of MiB, "auto", or null, got 1.5`,
    );
    expect(message({ memory: { warnAboveMB: 'big' } })).toBe(
      `${FILE}: memory.warnAboveMB: must be a whole number of MiB, "auto", or null, got "big"`,
    );
  });

  it('string: non-empty; a secret one is never shown; a host must be an IP address or a host name', () => {
    expect(ok({ restart: { openclaw: '/usr/bin/openclaw' } }).restart.openclaw).toBe(
      '/usr/bin/openclaw',
    );
    expect(message({ restart: { openclaw: '' } })).toBe(
      `${FILE}: restart.openclaw: must be a non-empty string, got ""`,
    );
    expect(message({ restart: { openclaw: 5 } })).toBe(
      `${FILE}: restart.openclaw: must be a non-empty string, got 5`,
    );
    expect(message({ gateway: { token: '' } })).toBe(
      `${FILE}: gateway.token: must be a non-empty string, got <redacted>`,
    );
    expect(ok({ gateway: { token: 'tok' } }).gateway.token).toBe('tok');
    expect(message({ gateway: { host: 'a b' } })).toBe(
      `${FILE}: gateway.host: must be an IP address or a host name, got "a b"`,
    );
  });

  it('strings: an array of non-empty strings', () => {
    expect(ok({ orphans: { patterns: ['a*', 'b'] } }).orphans.patterns).toEqual(['a*', 'b']);
    expect(ok({ orphans: { patterns: [] } }).orphans.patterns).toEqual([]);
    for (const bad of ['a*', ['a', ''], ['a', 1]])
      expect(message({ orphans: { patterns: bad } })).toBe(
        `${FILE}: orphans.patterns: must be an array of non-empty strings, got ${JSON.stringify(bad)}`,
      );
  });

  it('argv: a non-empty array of strings (an empty string is an argument), never shown', () => {
    expect(ok({ restart: { command: ['openclaw', ''] } }).restart.command).toEqual([
      'openclaw',
      '',
    ]);
    for (const bad of [[], 'openclaw gateway', ['openclaw', 1]])
      expect(message({ restart: { command: bad } })).toBe(
        `${FILE}: restart.command: must be a non-empty array of strings (argv, no shell), got <redacted>`,
      );
  });

  it('enum: one of its values', () => {
    expect(ok({ orphans: { action: 'report' } }).orphans.action).toBe('report');
    expect(message({ orphans: { action: 'kill' } })).toBe(
      `${FILE}: orphans.action: must be one of reap, report, got "kill"`,
    );
    expect(message({ orphans: { action: 1 } })).toBe(
      `${FILE}: orphans.action: must be one of reap, report, got 1`,
    );
  });

  it('webhooks: an array of {url, format, events}; events an array of names or null', () => {
    expect(ok({ notify: { webhooks: [{ url: 'https://x.test/h' }] } }).notify.webhooks).toEqual([
      { url: 'https://x.test/h', format: 'auto', events: null },
    ]);
    const full = { url: 'http://x.test/h', format: 'slack', events: ['gateway_down'] };
    expect(ok({ notify: { webhooks: [full] } }).notify.webhooks).toEqual([full]);
    expect(message({ notify: { webhooks: {} } })).toBe(
      `${FILE}: notify.webhooks: must be an array of {url, format}, got <redacted>`,
    );
    expect(message({ notify: { webhooks: [{ url: 'https://x.test/h', events: 'all' }] } })).toBe(
      `${FILE}: notify.webhooks[0].events: must be an array of event names, got "all"`,
    );
    expect(message({ notify: { webhooks: [{ url: 'https://x.test/h', events: [1] }] } })).toBe(
      `${FILE}: notify.webhooks[0].events: must be an array of event names, got [1]`,
    );
    expect(
      message({ notify: { webhooks: [{ url: 'https://x.test/h', events: ['gateway_down', 1] }] } }),
    ).toBe(
      `${FILE}: notify.webhooks[0].events: must be an array of event names, got ["gateway_down",1]`,
    );
    expect(message({ notify: { webhooks: [{ url: 'https://x.test/h', format: 'x' }] } })).toBe(
      `${FILE}: notify.webhooks[0].format: must be one of auto, json, discord, slack, got "x"`,
    );
    expect(message({ notify: { webhooks: [{ url: 'https://x.test/h' }, { url: 'x' }] } })).toBe(
      `${FILE}: notify.webhooks[1].url: must be an http(s) URL, got <redacted>`,
    );
  });

  it('ntfy, telegram, commands: arrays of objects, each item checked by its path', () => {
    for (const key of ['ntfy', 'telegram', 'commands'])
      expect(message({ notify: { [key]: {} } })).toBe(
        `${FILE}: notify.${key}: must be an array of objects, got <redacted>`,
      );
    expect(message({ notify: { commands: [5] } })).toMatch(
      new RegExp(`^${FILE}: notify\\.commands\\[0\\]: `),
    );
    expect(message({ notify: { ntfy: [5] } })).toMatch(
      new RegExp(`^${FILE}: notify\\.ntfy\\[0\\]: `),
    );
    expect(message({ notify: { telegram: [5] } })).toMatch(
      new RegExp(`^${FILE}: notify\\.telegram\\[0\\]: `),
    );
  });
});

describe('isHost', () => {
  it('an IP address, or a DNS name that is not all digits and dots', () => {
    for (const good of [
      '127.0.0.1',
      '::1',
      'localhost',
      'a-b.example.com',
      'x1',
      'example.com.',
      '1a',
      '1.2.3a',
    ])
      expect(isHost(good), good).toBe(true);
    for (const bad of ['999.1.1.1', '1.2.3', '12', 'a b', '-a.com', 'a-.com', '', 'a'.repeat(64)])
      expect(isHost(bad), bad).toBe(false);
  });
});

describe('validate parts', () => {
  it('checkHttpUrl: http and https only, the value never shown', () => {
    expect(() => checkHttpUrl('https://x.test/', FILE, 'k')).not.toThrow();
    expect(() => checkHttpUrl('http://x.test/', FILE, 'k')).not.toThrow();
    for (const bad of ['ftp://x.test/', 'httpsx://x.test/', 'xhttp://x.test', 'not a url', 5])
      expect(() => checkHttpUrl(bad, FILE, 'k')).toThrow(
        `${FILE}: k: must be an http(s) URL, got <redacted>`,
      );
  });

  it('checkEntry: an object with known keys only, the shape named', () => {
    expect(checkEntry({ a: 1 }, FILE, 'k', ['a', 'b'])).toEqual({ a: 1 });
    expect(() => checkEntry([], FILE, 'k', ['a', 'b'])).toThrow(
      `${FILE}: k: must be an object {a, b}, got <redacted>`,
    );
    expect(() => checkEntry(null, FILE, 'k', ['a'])).toThrow(/must be an object \{a\}/);
    expect(() => checkEntry({ c: 1 }, FILE, 'k', ['a', 'b'])).toThrow(
      `${FILE}: k.c: unknown key (known: a, b)`,
    );
  });

  it('checkChoice: one of the choices, named in the message', () => {
    expect(checkChoice('b', ['a', 'b'], FILE, 'k')).toBe('b');
    expect(() => checkChoice('c', ['a', 'b'], FILE, 'k')).toThrow(
      `${FILE}: k: must be one of a, b, got "c"`,
    );
    expect(() => checkChoice(1, ['a', 'b'], FILE, 'k')).toThrow(/got 1$/);
  });

  it('checkHeartbeat: url, format, start (healthchecks only), timeoutMs in [100, 60000]', () => {
    const url = 'https://hc-ping.com/x';
    expect(checkHeartbeat({ url }, FILE, 'h')).toEqual({
      url,
      format: 'auto',
      start: false,
      timeoutMs: 3000,
    });
    const full = { url, format: 'healthchecks', start: true, timeoutMs: 100 };
    expect(checkHeartbeat(full, FILE, 'h')).toEqual(full);
    expect(checkHeartbeat({ url, start: true }, FILE, 'h').start).toBe(true);
    expect(checkHeartbeat({ url, timeoutMs: 60_000 }, FILE, 'h').timeoutMs).toBe(60_000);
    expect(() => checkHeartbeat({ url, start: 'yes' }, FILE, 'h')).toThrow(
      `${FILE}: h.start: must be true or false, got "yes"`,
    );
    expect(() => checkHeartbeat({ url, format: 'json', start: true }, FILE, 'h')).toThrow(
      `${FILE}: h.start: only healthchecks.io has a start ping`,
    );
    expect(checkHeartbeat({ url, format: 'json', start: false }, FILE, 'h').format).toBe('json');
    for (const bad of [99, 60_001, 150.5, '3000'])
      expect(() => checkHeartbeat({ url, timeoutMs: bad }, FILE, 'h')).toThrow(
        `${FILE}: h.timeoutMs: must be a whole number between 100 and 60000, got ${JSON.stringify(bad)}`,
      );
  });
});
