import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readLauncher,
  renderLauncher,
  shellWords,
  writeLauncher,
} from '../../../src/lib/cron/launcher.js';
import { UnsafePathError } from '../../../src/lib/store/atomic.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

describe('cron launcher', () => {
  const inv = {
    node: '/opt/node v20/bin/node',
    cli: "/home/o'neil/cli.js",
    env: { HOME: '/home/me', PATH: '/a:/b 100%', OPENCLAW_PROFILE: 'work' },
    args: ['--state-dir', '/s p/x', '--profile', 'work'],
  };

  it("sets the environment and exec's node with the CLI; reads back what it wrote", () => {
    const text = renderLauncher('/s p/x', inv);
    expect(text).toBe(
      [
        '#!/bin/sh',
        '# openclaw-watchdog: the check cron runs for state dir /s p/x.',
        '# Written by install-cron (run it again to change it); uninstall-cron removes the cron entry.',
        'export HOME=/home/me',
        "export PATH='/a:/b 100%'",
        'export OPENCLAW_PROFILE=work',
        `exec '/opt/node v20/bin/node' '/home/o'\\''neil/cli.js' check --state-dir '/s p/x' --profile work "$@"`,
        '',
      ].join('\n'),
    );
    const dir = tempDir();
    const file = join(dir, 'watchdog', 'cron-check.sh');
    writeLauncher(file, text);
    expect(readLauncher(file)).toEqual({ env: inv.env, args: inv.args });
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('is written 0700 in a 0700 dir, atomically: no temp file left; rewriting replaces it', () => {
    const dir = tempDir();
    const file = join(dir, 'watchdog', 'cron-check.sh');
    writeLauncher(file, 'one\n');
    writeLauncher(file, 'two\n');
    expect(statSync(file).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'watchdog')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'watchdog'))).toEqual(['cron-check.sh']);
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(readLauncher(join(dir, 'missing'))).toBeNull();
  });

  it('its dir is checked as the check checks it: 0777 made 0700; a symlinked dir refused, nothing written', () => {
    const dir = tempDir();
    const watchdog = join(dir, 'watchdog');
    mkdirSync(watchdog);
    chmodSync(watchdog, 0o777);
    writeLauncher(join(watchdog, 'cron-check.sh'), 'one\n');
    expect(statSync(watchdog).mode & 0o777).toBe(0o700);
    // A watchdog dir that is a link to somewhere else (planted in a shared state dir).
    const elsewhere = tempDir();
    chmodSync(elsewhere, 0o777);
    const linked = join(tempDir(), 'watchdog');
    symlinkSync(elsewhere, linked);
    expect(() => writeLauncher(join(linked, 'cron-check.sh'), 'x\n')).toThrow(UnsafePathError);
    expect(() => writeLauncher(join(linked, 'cron-check.sh'), 'x\n')).toThrow(
      /refusing to use .*watchdog: it is a symlink/,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "another user's watchdog dir is refused, nothing written (needs root to chown)",
    () => {
      const watchdog = join(tempDir(), 'watchdog');
      mkdirSync(watchdog, { mode: 0o777 });
      chownSync(watchdog, 65534, 65534);
      expect(() => writeLauncher(join(watchdog, 'cron-check.sh'), 'x\n')).toThrow(
        /owned by uid 65534, not by this user/,
      );
      expect(readdirSync(watchdog)).toEqual([]);
    },
  );

  it("splits words the way sh does for what we quote (and cron's \\%)", () => {
    expect(shellWords(`A='x y' /n  '/a'\\''b' c\\%d "$@"`)).toEqual([
      'A=x y',
      '/n',
      "/a'b",
      'c%d',
      '$@',
    ]);
  });
});
