import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bareEnv, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/dirs.js';
import { answers, freePort } from './helpers/net.js';
import { startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

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
    // One line per command, the summary from the registry, aligned.
    const listed = r.stdout.split('Commands:\n')[1]?.split('\n\n')[0]?.split('\n') ?? [];
    expect(listed.map((l) => l.trim().split(/\s+/)[0])).toEqual([
      'check',
      'probe',
      'status',
      'events',
      'serve',
      'pause',
      'resume',
      'install-cron',
      'uninstall-cron',
      'notify',
      'doctor',
    ]);
    expect(listed[0]).toBe('  check          one supervision run (what cron runs every 30 s)');
    expect(listed[8]).toBe('  uninstall-cron remove it');
    expect(listed[9]).toMatch(/^ {2}notify {9}'notify test': /);
    const p = await runCli(['probe', '--help'], bareEnv(home));
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('Usage: openclaw-watchdog probe');
  });

  it('an unknown command or flag prints usage and exits 2', async () => {
    const home = tempDir();
    const a = await runCli(['frobnicate'], bareEnv(home));
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown command "frobnicate"');
    // A name Object.prototype holds is no command either (it used to be an internal error).
    const proto = await runCli(['constructor'], bareEnv(home));
    expect(proto.code).toBe(2);
    expect(proto.stderr).toContain('unknown command "constructor"');
    const b = await runCli(['probe', '--bogus'], bareEnv(home));
    expect(b.code).toBe(2);
    // One line (the error) and where to look, not the whole usage: cron mails it.
    expect(b.stderr).toBe(
      "openclaw-watchdog probe: Unknown option '--bogus'\nsee openclaw-watchdog probe --help\n",
    );
    expect(a.stderr).toBe(
      'openclaw-watchdog: unknown command "frobnicate"\nsee openclaw-watchdog --help\n',
    );
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

describe('bad input: one clear line, exit 2, never a stack or a spin', () => {
  const oneLine = (r: { stderr: string }) => {
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  };

  it('a bare openclaw-watchdog prints usage on stderr (not stdout) and exits 2', async () => {
    const r = await runCli([], bareEnv(tempDir()));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: openclaw-watchdog <command>');
  });

  it('an empty --state-dir, or an empty or relative HOME / OPENCLAW_HOME / OPENCLAW_STATE_DIR: one line naming it, exit 2', async () => {
    const home = tempDir();
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [['check', '--dry-run', '--state-dir', ''], bareEnv(home), '--state-dir'],
      // --dry-run: on the old code these wrote nothing under the working directory either.
      [['check', '--dry-run'], bareEnv('rel'), 'HOME'],
      [['check', '--dry-run'], bareEnv(''), 'HOME'],
      [['status'], bareEnv(home, { OPENCLAW_HOME: 'rel' }), 'OPENCLAW_HOME'],
      [['check', '--dry-run'], bareEnv(home, { OPENCLAW_STATE_DIR: '' }), 'OPENCLAW_STATE_DIR'],
      [['check', '--dry-run'], bareEnv(home, { OPENCLAW_STATE_DIR: 'x/y' }), 'OPENCLAW_STATE_DIR'],
    ];
    for (const [args, env, named] of cases) {
      const r = await runCli(args, env);
      expect(r.code, `${args.join(' ')} ${named}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(named);
    }
  });

  it('--state-dir /proc/x fails at once naming the directory (it used to spin at 100 % CPU)', async () => {
    const r = await runCli(['check', '--state-dir', '/proc/x'], bareEnv(tempDir()), 20_000);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain('cannot create directory /proc/x');
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a HOME the user cannot write: one line naming the directory (runs as nobody: needs root)',
    async () => {
      const { spawnSync } = await import('node:child_process');
      const { chmodSync } = await import('node:fs');
      const { CLI } = await import('./helpers/processes.js');
      const home = join(tempDir(), 'home');
      mkdirSync(home);
      chmodSync(join(home, '..'), 0o755);
      chmodSync(home, 0o555);
      const r = spawnSync(process.execPath, [CLI, 'check'], {
        uid: 65534,
        gid: 65534,
        env: bareEnv(home),
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status).toBe(2);
      oneLine(r);
      expect(r.stderr).toContain(`cannot create directory ${join(home, '.openclaw')}: EACCES`);
    },
  );

  it('a HOME that is not a directory: one line naming the path', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, '');
    const r = await runCli(['check'], bareEnv(file));
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(file);
  });

  it('check with a symlinked watchdog dir: refused, one line, exit 2; a 0755 one is made 0700', async () => {
    const { chmodSync, renameSync, statSync, symlinkSync } = await import('node:fs');
    const home = tempDir();
    const dir = join(home, '.openclaw', 'watchdog');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{}');
    const env = bareEnv(home, { OPENCLAW_GATEWAY_PORT: String(await freePort()) });
    chmodSync(dir, 0o755);
    await runCli(['check'], env);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    renameSync(dir, join(home, 'elsewhere'));
    symlinkSync(join(home, 'elsewhere'), dir);
    const r = await runCli(['check'], env);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(`refusing to use ${dir}: it is a symlink`);
  });

  it('install-cron checks the watchdog dir as check does: 0777 made 0700; a symlinked one refused, nothing written', async () => {
    const { chmodSync, existsSync, readdirSync, statSync, symlinkSync } = await import('node:fs');
    // A stand-in crontab on PATH (the real one is shared): the table lives in a file.
    const bin = tempDir();
    const table = join(bin, 'table');
    writeFileSync(
      join(bin, 'crontab'),
      `#!/bin/sh\ncase "$1" in\n  -l) [ -f '${table}' ] && exec cat '${table}'; echo "no crontab for $(id -un)" >&2; exit 1 ;;\n  -) exec cat > '${table}' ;;\nesac\nexit 1\n`,
      { mode: 0o755 },
    );
    const home = tempDir();
    const dir = join(home, '.openclaw', 'watchdog');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const env = bareEnv(home, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    const ok = await runCli(['install-cron'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'cron-check.sh')).mode & 0o777).toBe(0o700);
    // A watchdog dir that is a link to a world-writable dir elsewhere.
    const other = tempDir();
    const elsewhere = tempDir();
    chmodSync(elsewhere, 0o777);
    mkdirSync(join(other, '.openclaw'));
    symlinkSync(elsewhere, join(other, '.openclaw', 'watchdog'));
    const before = readFileSync(table, 'utf8');
    const r = await runCli(['install-cron', '--state-dir', join(other, '.openclaw')], env);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain('it is a symlink');
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(table, 'utf8')).toBe(before);
    expect(existsSync(join(other, '.openclaw', 'watchdog', 'cron-check.sh'))).toBe(false);
  });

  it('install-cron when crontab refuses (not allowed to use cron): one line naming it and what to check, exit 1, no stack', async () => {
    const bin = tempDir();
    writeFileSync(
      join(bin, 'crontab'),
      '#!/bin/sh\necho "You (me) are not allowed to use this program (crontab)" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const env = bareEnv(tempDir(), { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    for (const args of [['install-cron'], ['uninstall-cron'], ['install-cron', '--list']]) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).toBe(1);
      oneLine(r);
      expect(r.stderr).toContain(
        'crontab -l failed: You (me) are not allowed to use this program (crontab); are you allowed to use cron? (/etc/cron.allow, /etc/cron.deny)',
      );
      expect(r.stderr).not.toContain('internal error');
    }
  });

  it('serve --host with an invalid or unusable address', async () => {
    const home = tempDir();
    const bad = await runCli(['serve', '--host', '999.1.1.1', '--port', '0'], bareEnv(home));
    expect(bad.code).toBe(2);
    oneLine(bad);
    expect(bad.stderr).toContain('--host: expected an IP address or a host name, got "999.1.1.1"');
    const absent = await runCli(['serve', '--host', '192.0.2.1', '--port', '0'], bareEnv(home));
    expect(absent.code).toBe(2);
    oneLine(absent);
    expect(absent.stderr).toContain('--host: cannot listen on 192.0.2.1:0: EADDRNOTAVAIL');
  });

  it('a null line (or any non-object JSON) in events.jsonl is skipped by events and status', async () => {
    const home = tempDir();
    const dir = join(home, '.openclaw', 'watchdog');
    mkdirSync(dir, { recursive: true });
    const good = '{"ts":"2026-11-26T01:02:03.004Z","level":"info","event":"lock_busy"}';
    writeFileSync(join(dir, 'events.jsonl'), `null\n42\n"x"\n[1]\ntrue\n${good}\n`);
    const env = bareEnv(home, { OPENCLAW_GATEWAY_PORT: String(await freePort()) });
    const events = await runCli(['events', '--json'], env);
    expect(events.code).toBe(0);
    expect(events.stderr).toBe('');
    expect(
      events.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([JSON.parse(good)]);
    const human = await runCli(['events'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('lock_busy');
    const status = await runCli(['status', '--json'], env);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout).recentEvents).toEqual([JSON.parse(good)]);
  });

  it('check with a secret in a config mistake: neither stderr nor config_error holds it', async () => {
    const home = tempDir();
    const dir = join(home, '.openclaw', 'watchdog');
    mkdirSync(dir, { recursive: true });
    const hook = 'https://hooks.slack.com/services/T0/B0/HOOKSECRET42';
    for (const config of [
      { notify: { webhooks: [hook] } },
      { restart: { command: 'openclaw gateway run --token TOKSECRET42' } },
    ]) {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
      const r = await runCli(['check'], bareEnv(home));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('<redacted>');
      expect(r.stderr).not.toMatch(/HOOKSECRET42|TOKSECRET42/);
    }
    const log = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    expect(log.match(/config_error/g)).toHaveLength(2);
    expect(log).not.toMatch(/HOOKSECRET42|TOKSECRET42/);
  });
});
