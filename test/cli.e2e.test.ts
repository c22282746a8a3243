import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bareEnv, runCli } from './helpers/cli.js';
import { removeTempDirs, tempDir } from './helpers/dirs.js';
import { answers, freePort } from './helpers/net.js';
import { killTracked, startFakeGateway, waitFor } from './helpers/processes.js';

afterEach(() => {
  killTracked();
  removeTempDirs();
});

describe('openclaw-watchdog CLI (built dist/cli.js)', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version'], bareEnv(tempDir()));
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists the commands; every command has --help', async () => {
    const home = tempDir();
    const r = await runCli(['--help'], bareEnv(home));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('probe');
    const p = await runCli(['probe', '--help'], bareEnv(home));
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('Usage: openclaw-watchdog probe');
  });

  it('an unknown command or flag prints usage and exits 2', async () => {
    const home = tempDir();
    const a = await runCli(['frobnicate'], bareEnv(home));
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown command "frobnicate"');
    const b = await runCli(['probe', '--bogus'], bareEnv(home));
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/Unknown option '--bogus'/);
    expect(b.stderr).toContain('Usage: openclaw-watchdog probe');
    const c = await runCli(['probe', '--port', 'x'], bareEnv(home));
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--port: expected a whole number from 1 to 65535, got "x"');
  });

  it('a config mistake is one line naming file, key and value, exit 2, no stack trace', async () => {
    const home = tempDir();
    mkdirSync(join(home, '.openclaw', 'watchdog'), { recursive: true });
    const file = join(home, '.openclaw', 'watchdog', 'config.json');
    writeFileSync(file, '{ probe: { hungAfterSec: -1 } }');
    const r = await runCli(['probe'], bareEnv(home));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file}: probe.hungAfterSec: must be between 0 and 86400, got -1`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('check with a config mistake: exit 2, one line, and config_error in the event log', async () => {
    const home = tempDir();
    const dir = join(home, '.openclaw', 'watchdog');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{ restart: { command: "openclaw gateway run" } }');
    const r = await runCli(['check'], bareEnv(home));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toEqual([
      expect.objectContaining({ level: 'error', event: 'config_error', key: 'restart.command' }),
    ]);
  });

  it('probe: exit 0 and one JSON object for a healthy gateway, exit 1 when nothing listens', async () => {
    const home = tempDir();
    const port = await freePort();
    startFakeGateway(['--port', String(port)]);
    await waitFor(() => answers(port), { what: 'fake gateway' });
    const env = bareEnv(home, { OPENCLAW_GATEWAY_PORT: String(port) });
    const ok = await runCli(['probe', '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verdict: 'healthy', port });
    const human = await runCli(['probe'], env);
    expect(human.stdout.trim().split('\n')).toHaveLength(1);
    expect(human.stdout).toMatch(/^healthy: 127\.0\.0\.1:\d+/);
    const down = await runCli(['probe', '--json', '--port', String(await freePort())], env);
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout).verdict).toBe('refused');
  });

  it('probe --deep never prints the token', async () => {
    const home = tempDir();
    const port = await freePort();
    startFakeGateway(['--port', String(port), '--token', 'super-secret-token']);
    await waitFor(() => answers(port), { what: 'fake gateway' });
    const env = bareEnv(home, {
      OPENCLAW_GATEWAY_PORT: String(port),
      OPENCLAW_GATEWAY_TOKEN: 'super-secret-token',
    });
    const r = await runCli(['probe', '--deep', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).steps.deep.ok).toBe(true);
    expect(r.stdout + r.stderr).not.toContain('super-secret-token');
  });
});
