// Review 1 of e9668c6: serve --all / status --all reproductions (fail on e9668c6).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bareEnv, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/dirs.js';
import { fakeCrontabPath } from './helpers/fake-crontab.js';
import { freePort } from './helpers/net.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

describe('review1: the fleet', () => {
  it('two watchdogs whose OPENCLAW_HOME differ (both <home>/.openclaw): distinct gateway names, no duplicate series', async () => {
    const home = tempDir();
    const path = fakeCrontabPath(home);
    for (const x of ['a', 'b']) {
      const dir = join(home, x, '.openclaw');
      mkdirSync(join(dir, 'watchdog'), { recursive: true });
      writeFileSync(
        join(dir, 'openclaw.json'),
        JSON.stringify({ gateway: { port: await freePort() } }),
      );
      const r = await runCli(
        ['install-cron'],
        bareEnv(home, { PATH: path, OPENCLAW_HOME: join(home, x) }),
        60_000,
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const env = bareEnv(home, { PATH: path });
    const textfile = join(home, 'fleet.prom');
    const serve = await runCli(['serve', '--all', '--textfile', textfile], env, 60_000);
    expect(serve.code, serve.stderr).toBe(0);
    const up = readFileSync(textfile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('openclaw_watchdog_gateway_up{'))
      .map((l) => l.replace(/\s+\S+$/, ''));
    expect(up).toHaveLength(2);
    // Two series with one label set: Prometheus and node_exporter's textfile collector reject it.
    expect(new Set(up).size).toBe(2);
  });

  it('crontab -l refused (cron.allow): status --all and serve --all say so in one line, no stack trace', async () => {
    const home = tempDir();
    const bin = join(home, 'deny-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'crontab'),
      '#!/bin/sh\necho "You (nobody) are not allowed to use this program (crontab)" >&2\nexit 1\n',
    );
    chmodSync(join(bin, 'crontab'), 0o755);
    const env = bareEnv(home, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    for (const args of [
      ['status', '--all'],
      ['serve', '--all', '--textfile', join(home, 'm.prom')],
    ]) {
      const r = await runCli(args, env, 60_000);
      expect(r.code).not.toBe(0);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
