import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hoistGlobalFlags } from '../src/lib/cli/global-flags.js';
import { bareEnv, runCli } from './helpers/cli.js';
import { crontabStandIn } from './helpers/crontab-stand-in.js';
import { tempDir } from './helpers/dirs.js';
import { freePort } from './helpers/net.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

describe('global flags before the command, as `openclaw --profile p2 gateway run`', () => {
  it('moves only the common flags, with their values, after the command', () => {
    expect(hoistGlobalFlags(['--profile', 'p2', 'check'])).toEqual(['check', '--profile', 'p2']);
    expect(hoistGlobalFlags(['--state-dir=/s', '-v', '--json', 'notify', 'test', '-n'])).toEqual([
      'notify',
      'test',
      '-n',
      '--state-dir=/s',
      '-v',
      '--json',
    ]);
    expect(hoistGlobalFlags(['--bogus', 'check'])).toEqual(['--bogus', 'check']);
    expect(hoistGlobalFlags(['--profile'])).toEqual(['--profile']);
    expect(hoistGlobalFlags(['--profile', 'p2', '--help'])).toEqual(['--help', '--profile', 'p2']);
  });

  it('`--profile p2 check` runs the check of profile p2; install-cron --profile p2 hints with it', async () => {
    const home = tempDir();
    const env = bareEnv(home, { OPENCLAW_GATEWAY_PORT: String(await freePort()) });
    const check = await runCli(['--profile', 'p2', 'check', '--dry-run'], env);
    expect(check.stderr).not.toContain('unknown command');
    expect(check.code).toBe(1); // nothing listens: not healthy, but it ran
    const status = await runCli(['--profile=p2', '--json', 'status'], env);
    expect(JSON.parse(status.stdout).lastCheckAt).toBeNull(); // a dry run saves nothing
    const cron = crontabStandIn();
    const installed = await runCli(
      ['--profile', 'p2', 'install-cron'],
      bareEnv(home, { PATH: cron.path }),
    );
    expect(installed.code, installed.stderr).toBe(0);
    expect(readFileSync(cron.table, 'utf8')).toContain(join(home, '.openclaw-p2'));
    expect(installed.stdout).toContain('Undo: openclaw-watchdog uninstall-cron --profile p2\n');
    expect(installed.stdout).toContain(
      'See it work: openclaw-watchdog status --profile p2   (events: openclaw-watchdog events --profile p2)\n',
    );
  });
});
