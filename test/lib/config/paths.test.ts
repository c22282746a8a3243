import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePortEnv, profilePort, resolvePaths } from '../../../src/lib/config/paths.js';
import { UsageError } from '../../../src/lib/errors.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

describe('profilePort', () => {
  it('matches the ports the real gateway chose for named profiles', () => {
    expect(profilePort('work')).toBe(41984);
    expect(profilePort('rescue')).toBe(23532);
    expect(profilePort('test')).toBe(53445);
  });
});

describe('parsePortEnv', () => {
  it('accepts N, host:N and [v6]:N like OpenClaw, ignores anything else', () => {
    expect(parsePortEnv('18796')).toBe(18796);
    expect(parsePortEnv('127.0.0.1:18796')).toBe(18796);
    expect(parsePortEnv('[::1]:18796')).toBe(18796);
    expect(parsePortEnv('abc')).toBeNull();
    expect(parsePortEnv('70000')).toBeNull();
    expect(parsePortEnv('')).toBeNull();
    expect(parsePortEnv(undefined)).toBeNull();
  });
});

describe('resolvePaths', () => {
  it('defaults to ~/.openclaw and its watchdog/ dir', () => {
    const p = resolvePaths({}, { HOME: '/h' });
    expect(p.stateDir).toBe('/h/.openclaw');
    expect(p.openclawConfig).toBe('/h/.openclaw/openclaw.json');
    expect(p.watchdogConfig).toBe('/h/.openclaw/watchdog/config.json');
    expect(p.watchdogConfigExplicit).toBe(false);
  });

  it('orders state dir: flag, then OPENCLAW_STATE_DIR, then profile, then home; OPENCLAW_HOME beats HOME', () => {
    expect(
      resolvePaths({ stateDir: '/f' }, { HOME: '/h', OPENCLAW_STATE_DIR: '/e' }).stateDir,
    ).toBe('/f');
    expect(
      resolvePaths({ profile: 'work' }, { HOME: '/h', OPENCLAW_STATE_DIR: '/e' }).stateDir,
    ).toBe('/e');
    expect(resolvePaths({ profile: 'work' }, { HOME: '/h' }).stateDir).toBe('/h/.openclaw-work');
    expect(resolvePaths({}, { HOME: '/h', OPENCLAW_PROFILE: 'work' }).stateDir).toBe(
      '/h/.openclaw-work',
    );
    expect(resolvePaths({ profile: 'default' }, { HOME: '/h' }).stateDir).toBe('/h/.openclaw');
    expect(resolvePaths({}, { HOME: '/h', OPENCLAW_HOME: '/oh' }).stateDir).toBe('/oh/.openclaw');
  });

  it('takes OPENCLAW_CONFIG_PATH for the gateway config without moving the state dir', () => {
    const p = resolvePaths({}, { HOME: '/h', OPENCLAW_CONFIG_PATH: '/y/oc.json' });
    expect(p.openclawConfig).toBe('/y/oc.json');
    expect(p.stateDir).toBe('/h/.openclaw');
  });

  it('uses legacy ~/.clawdbot only when ~/.openclaw does not exist', () => {
    const home = tempDir();
    mkdirSync(join(home, '.clawdbot'));
    expect(resolvePaths({}, { HOME: home }).stateDir).toBe(join(home, '.clawdbot'));
    mkdirSync(join(home, '.openclaw'));
    expect(resolvePaths({}, { HOME: home }).stateDir).toBe(join(home, '.openclaw'));
  });

  it('names the watchdog config from --config, then OPENCLAW_WATCHDOG_CONFIG', () => {
    expect(
      resolvePaths({ config: '/c.json' }, { HOME: '/h', OPENCLAW_WATCHDOG_CONFIG: '/e.json' })
        .watchdogConfig,
    ).toBe('/c.json');
    const p = resolvePaths({}, { HOME: '/h', OPENCLAW_WATCHDOG_CONFIG: '/e.json' });
    expect(p.watchdogConfig).toBe('/e.json');
    expect(p.watchdogConfigExplicit).toBe(true);
  });

  it('rejects a profile name OpenClaw would reject', () => {
    expect(() => resolvePaths({ profile: '../etc' }, { HOME: '/h' })).toThrow(UsageError);
    expect(() => resolvePaths({ profile: '-x' }, { HOME: '/h' })).toThrow(/--profile/);
  });

  it('refuses an empty --state-dir and an empty or relative HOME, OPENCLAW_HOME, OPENCLAW_STATE_DIR', () => {
    expect(() => resolvePaths({ stateDir: '' }, { HOME: '/h' })).toThrow(/^--state-dir: empty/);
    expect(() => resolvePaths({}, { HOME: '' })).toThrow(/^HOME is set but empty/);
    expect(() => resolvePaths({}, { HOME: 'rel' })).toThrow(
      /^HOME: expected an absolute path, got "rel"/,
    );
    expect(() => resolvePaths({}, { HOME: '/h', OPENCLAW_HOME: 'x' })).toThrow(/^OPENCLAW_HOME:/);
    expect(() => resolvePaths({}, { HOME: '/h', OPENCLAW_STATE_DIR: '' })).toThrow(
      /^OPENCLAW_STATE_DIR is set but empty/,
    );
    expect(() => resolvePaths({}, { HOME: '/h', OPENCLAW_STATE_DIR: 's' })).toThrow(UsageError);
    // A relative --state-dir is the user's own, on the command line: made absolute.
    expect(resolvePaths({ stateDir: 'rel' }, { HOME: '/h' }).stateDir).toBe(
      join(process.cwd(), 'rel'),
    );
  });
});
