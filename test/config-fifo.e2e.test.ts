// A FIFO planted at a config file's name (openclaw.json, <state dir>/.env, watchdog/config.json)
// blocked every command for good (readFileSync waits for a writer): now a one-line config error.
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';

afterEach(cleanUp);

describe('a FIFO at a config file’s name', () => {
  for (const [what, at] of [
    ['openclaw.json', (s: string) => join(s, 'openclaw.json')],
    ['the state dir’s .env', (s: string) => join(s, '.env')],
    ['the watchdog’s config.json', (s: string) => join(s, 'watchdog', 'config.json')],
  ] as const) {
    it(`${what}: check and status end with one line naming the file, exit 2`, async () => {
      const h = await makeHome({ ...FAST });
      const file = at(h.stateDir);
      rmSync(file, { force: true });
      execFileSync('mkfifo', [file]);
      for (const args of [['check'], ['status']]) {
        const r = await runCli(args, h.env, 30_000);
        expect(r.code, args.join(' ')).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toContain(file);
        expect(lines[0]).toContain('not a regular file');
      }
    });
  }

  it('a symlinked openclaw.json (a dotfile manager’s link) is still read', async () => {
    const h = await makeHome({ ...FAST });
    const real = join(h.home, 'dotfiles-openclaw.json');
    writeFileSync(real, JSON.stringify({ gateway: { port: 19_411 } }));
    rmSync(join(h.stateDir, 'openclaw.json'));
    symlinkSync(real, join(h.stateDir, 'openclaw.json'));
    const env = { ...h.env };
    delete env.OPENCLAW_GATEWAY_PORT;
    const r = await runCli(['status', '--json'], env, 30_000);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('19411');
  });
});
