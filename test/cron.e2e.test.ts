import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeGateway } from '../src/lib/probe/index.js';
import { BEGIN } from '../src/lib/cron/block.js';
import { bareEnv, runCli } from './helpers/cli.js';
import { removeTempDirs } from './helpers/dirs.js';
import { listener } from './helpers/gateways.js';
import { killTracked, waitFor } from './helpers/processes.js';
import { FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';

const hasCrontab = spawnSync('sh', ['-c', 'command -v crontab']).status === 0;
const crontab = (args: string[], input?: string) =>
  spawnSync('crontab', args, { input, encoding: 'utf8' });
let saved: string | null = null;

// These tests edit this user's real crontab: it is saved first and restored after, whatever happens.
beforeAll(() => {
  if (!hasCrontab) return;
  const r = crontab(['-l']);
  saved = r.status === 0 ? r.stdout : null;
});
afterAll(() => {
  if (!hasCrontab) return;
  if (saved === null) crontab(['-r']);
  else crontab(['-'], saved);
});
afterEach(() => {
  killTracked();
  removeTempDirs();
});

const FOREIGN = 'MAILTO=""\n# keep me exactly\n17 4 * * 1   /usr/bin/true   # weekly\n\n';
const current = () => crontab(['-l']).stdout;

describe.skipIf(!hasCrontab)('install-cron against the real crontab', () => {
  it('install twice → one block; foreign lines kept byte for byte; uninstall leaves them', async () => {
    crontab(['-'], FOREIGN);
    const h = await makeHome(FAST);
    const first = await runCli(['install-cron'], h.env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Undo: openclaw-watchdog uninstall-cron');
    expect((await runCli(['install-cron', '--every', '2m'], h.env)).code).toBe(0);
    const text = current();
    expect(text.split(BEGIN)).toHaveLength(2);
    expect(text.startsWith(FOREIGN)).toBe(true);
    expect(text).toMatch(
      /\n\*\/2 \* \* \* \* PATH=\S+ OPENCLAW_GATEWAY_PORT=\d+ \/\S+node \/\S+\/dist\/cli\.js check\n/,
    );
    expect((await runCli(['uninstall-cron'], h.env)).code).toBe(0);
    expect(current()).toBe(FOREIGN);
  });

  it('--dry-run prints the whole crontab it would install and changes nothing', async () => {
    crontab(['-'], FOREIGN);
    const h = await makeHome(FAST);
    const r = await runCli(['install-cron', '--dry-run'], h.env);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(FOREIGN)).toBe(true);
    expect(r.stdout).toContain(BEGIN);
    expect(r.stdout).toContain('sleep 30;');
    expect(current()).toBe(FOREIGN);
  });

  it('a bad cadence is a usage error', async () => {
    const h = await makeHome(FAST);
    const r = await runCli(['install-cron', '--every', '10s'], h.env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'openclaw-watchdog: --every: expected one of 30s, 1m, 2m, 5m, got "10s"',
    );
  });

  it('the installed line, run under env -i with only HOME, restarts a crashed gateway', async () => {
    crontab(['-'], '');
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    expect((await runCli(['install-cron', '--every', '1m'], h.env)).code).toBe(0);
    const entry = current()
      .split('\n')
      .find((l) => l.startsWith('* * * * * '))!;
    const command = entry.slice('* * * * * '.length);
    const out = execFileSync('env', ['-i', `HOME=${h.home}`, '/bin/sh', '-c', command], {
      encoding: 'utf8',
    });
    expect(out).toBe('');
    listener(h.port);
    expect((await probeGateway({ host: '127.0.0.1', port: h.port, timeoutMs: 1000 })).verdict).toBe(
      'healthy',
    );
    expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
  });
});

describe('install-cron without crontab', () => {
  it('says which package provides it, exit 1, crontab untouched', async () => {
    const h = await makeHome(FAST);
    const r = await runCli(['install-cron'], { ...h.env, PATH: h.home });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'openclaw-watchdog: crontab not found: install cron (Debian/Ubuntu: apt-get install cron; Fedora/RHEL: dnf install cronie; Alpine: apk add dcron)',
    );
  });
});

describe('pause / resume', () => {
  it('while paused a check on a dead gateway probes and logs but does not restart; after expiry it does', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const p = await runCli(['pause', '--for', '2s', '--reason', 'upgrading openclaw'], h.env);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^paused until /);
    const during = await h.check();
    expect(during).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect(listener(h.port)).toBeNull();
    const status = JSON.parse((await runCli(['status', '--json'], h.env)).stdout);
    expect(status.paused).toMatchObject({ reason: 'upgrading openclaw' });
    expect(h.eventNames()).toEqual(['paused', 'gateway_down', 'action_skipped']);
    await waitFor(async () => (await h.check()).code === 0, {
      what: 'restart after the pause',
      timeoutMs: 15_000,
      intervalMs: 300,
    });
    expect(h.eventNames()).toEqual(
      expect.arrayContaining(['resumed', 'gateway_restart', 'gateway_recovered']),
    );
    listener(h.port);
  });

  it('resume ends a pause at once; a bad --for is a usage error', async () => {
    const h = await makeHome(FAST);
    expect((await runCli(['pause', '--for', '1h'], bareEnv(h.home, h.env))).code).toBe(0);
    const r = await runCli(['resume'], h.env);
    expect(r.stdout).toBe('resumed: checks act again\n');
    expect(h.eventNames()).toEqual(['paused', 'resumed']);
    const bad = await runCli(['pause', '--for', 'soon'], h.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--for: expected a duration like 30m, 2h or 1d (up to 7d), got "soon"',
    );
  });
});
