import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeGateway } from '../src/lib/probe/index.js';
import { LEGACY_BEGIN, LEGACY_END, beginMarker, endMarker } from '../src/lib/cron/block.js';
import { fromListing } from '../src/lib/cron/crontab.js';
import { launcherPath } from '../src/lib/cron/launcher.js';
import { bareEnv, runCli } from './helpers/cli.js';
import { crontabStandIn } from './helpers/crontab-stand-in.js';
import { removeTempDirs, tempDir } from './helpers/dirs.js';
import { healthy, listener } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { CLI, ROOT, killTracked, startFakeGateway, waitFor } from './helpers/processes.js';
import { FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';

/** The user's real crontab as the suite found it: its listing, and the spool dir's mtime (Debian:
 * any install or removal of a crontab changes it, a restored one too). */
const SPOOL = '/var/spool/cron/crontabs';
const realCrontab = () => ({
  listing: spawnSync('sh', ['-c', 'crontab -l 2>&1'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
  }).stdout,
  spoolMtime: existsSync(SPOOL) ? statSync(SPOOL).mtimeMs : null,
});
const realBefore = realCrontab();

/**
 * The user's real crontab only when asked: OCWD_REAL_CRONTAB=1 (`npm run test:real`, and CI).
 * Otherwise every crontab these tests and the CLI they run touch is a stand-in on PATH: `npm test`
 * never edits the user's crontab (a running cron daemon would fire the temporary entries).
 */
const REAL = process.env.OCWD_REAL_CRONTAB === '1';
const standInDir = REAL ? null : mkdtempSync(join(tmpdir(), 'ocwd-crontab-'));
const standIn = standInDir === null ? null : crontabStandIn(standInDir);
if (standIn) process.env.PATH = standIn.path;
/** What a test's own PATH starts with, so that the CLI it runs finds the same crontab. */
const PREFIX = standIn ? `${standIn.bin}:` : '';
const hasCrontab = spawnSync('sh', ['-c', 'command -v crontab']).status === 0;
const crontab = (args: string[], input?: string) =>
  spawnSync('crontab', args, { input, encoding: 'utf8' });
let saved: string | null = null;

// With the real crontab: it is saved first and restored after, whatever happens.
beforeAll(() => {
  if (!hasCrontab || !REAL) return;
  const r = crontab(['-l']);
  saved = r.status === 0 ? r.stdout : null;
});
afterAll(() => {
  if (standInDir) rmSync(standInDir, { recursive: true, force: true });
  if (!hasCrontab || !REAL) return;
  if (saved === null) crontab(['-r']);
  else crontab(['-'], saved);
});
afterEach(() => {
  killTracked();
  removeTempDirs();
});

const FOREIGN = 'MAILTO=""\n# keep me exactly\n17 4 * * 1   /usr/bin/true   # weekly\n\n';
const current = () => crontab(['-l']).stdout;
const entries = (text: string) => text.split('\n').filter((l) => l.includes('cron-check.sh'));
/** The old, single-block form that versions before per-state-dir blocks wrote. */
const legacyBlock = (cmd: string) => `${LEGACY_BEGIN}\n* * * * * ${cmd}\n${LEGACY_END}\n`;

describe.skipIf(!hasCrontab)(
  `install-cron against ${REAL ? 'the real' : 'a stand-in'} crontab`,
  () => {
    it('install twice → one block; foreign lines kept byte for byte; uninstall leaves them', async () => {
      crontab(['-'], FOREIGN);
      const h = await makeHome(FAST);
      const first = await runCli(['install-cron'], h.env);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Undo: openclaw-watchdog uninstall-cron');
      // this CLI runs from a git checkout (this repository): cron would break when it moves
      expect(first.stderr).toMatch(
        /^warning: cron will run this openclaw-watchdog from a git checkout \(/,
      );
      expect((await runCli(['install-cron', '--every', '2m'], h.env)).code).toBe(0);
      const text = current();
      expect(text.split(beginMarker(h.stateDir))).toHaveLength(2);
      expect(text.startsWith(FOREIGN)).toBe(true);
      expect(entries(text)).toEqual([`*/2 * * * * ${launcherPath(h.stateDir)}`]);
      const launcher = readFileSync(launcherPath(h.stateDir), 'utf8');
      expect(launcher).toContain(`\nexport OPENCLAW_GATEWAY_PORT=${h.port}\n`);
      expect(statSync(launcherPath(h.stateDir)).mode & 0o777).toBe(0o700);
      expect((await runCli(['uninstall-cron'], h.env)).code).toBe(0);
      expect(current()).toBe(FOREIGN);
    });

    it('--dry-run prints the whole crontab it would install and changes nothing', async () => {
      crontab(['-'], FOREIGN);
      const h = await makeHome(FAST);
      const r = await runCli(['install-cron', '--dry-run'], h.env);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(FOREIGN)).toBe(true);
      expect(r.stdout).toContain(beginMarker(h.stateDir));
      expect(r.stdout).toContain('sleep 30;');
      expect(r.stderr).toContain('#!/bin/sh\n');
      expect(current()).toBe(FOREIGN);
      expect(existsSync(launcherPath(h.stateDir))).toBe(false);
    });

    it('a bad cadence is a usage error', async () => {
      const h = await makeHome(FAST);
      const r = await runCli(['install-cron', '--every', '10s'], h.env);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        'openclaw-watchdog: --every: expected one of 30s, 1m, 2m, 5m, got "10s"',
      );
    });

    it('the cron line is short, and PATH is set once, deduped, inside the launcher', async () => {
      crontab(['-'], '');
      const h = await makeHome(FAST);
      const path = `${PREFIX}/usr/local/bin:/usr/bin:/bin:/usr/bin::/bin:`;
      expect((await runCli(['install-cron'], { ...h.env, PATH: path })).code).toBe(0);
      const lines = entries(current());
      expect(lines).toEqual([
        `* * * * * ${launcherPath(h.stateDir)}`,
        `* * * * * sleep 30; ${launcherPath(h.stateDir)}`,
      ]);
      for (const line of lines) expect(line.length).toBeLessThan(h.stateDir.length + 60);
      const exported = readFileSync(launcherPath(h.stateDir), 'utf8').match(/^export PATH=.*$/gm);
      expect(exported).toEqual([`export PATH=${PREFIX}/usr/local/bin:/usr/bin:/bin`]);
    });

    it("the installed line, run under env -i with cron's HOME, restarts a crashed gateway with the installer's HOME", async () => {
      crontab(['-'], '');
      const h = await makeHome();
      h.configure(withFakeRestart(h.port));
      expect((await runCli(['install-cron', '--every', '1m'], h.env)).code).toBe(0);
      const command = entries(current())[0]!.slice('* * * * * '.length);
      // cron sets HOME from /etc/passwd, which is not the HOME the user installed from
      const cronHome = tempDir();
      const out = execFileSync('env', ['-i', `HOME=${cronHome}`, '/bin/sh', '-c', command], {
        encoding: 'utf8',
      });
      expect(out).toBe('');
      const pid = listener(h.port)!;
      expect(pid).not.toBeNull();
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain(`HOME=${h.home}`);
      expect(environ).toContain(`OPENCLAW_GATEWAY_PORT=${h.port}`);
      expect(
        (await probeGateway({ host: '127.0.0.1', port: h.port, timeoutMs: 1000 })).verdict,
      ).toBe('healthy');
      expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
    });

    it('two state dirs, two blocks: listed, shown by status --all, removed one by one', async () => {
      crontab(['-'], FOREIGN);
      const h = await makeHome(FAST);
      const portB = await freePort();
      const dirB = join(h.home, '.openclaw-b');
      mkdirSync(join(dirB, 'watchdog'), { recursive: true });
      writeFileSync(join(dirB, 'openclaw.json'), JSON.stringify({ gateway: { port: portB } }));
      writeFileSync(join(dirB, 'watchdog', 'config.json'), JSON.stringify(FAST));
      const envB = bareEnv(h.home); // no OPENCLAW_GATEWAY_PORT: b's port comes from its openclaw.json
      expect((await runCli(['install-cron'], h.env)).code).toBe(0);
      expect((await runCli(['install-cron', '--profile', 'b', '--every', '2m'], envB)).code).toBe(
        0,
      );
      expect((await runCli(['install-cron', '--profile', 'b', '--every', '5m'], envB)).code).toBe(
        0,
      );
      const both = current();
      expect(both.startsWith(FOREIGN)).toBe(true);
      expect(entries(both)).toEqual([
        `* * * * * ${launcherPath(h.stateDir)}`,
        `* * * * * sleep 30; ${launcherPath(h.stateDir)}`,
        `*/5 * * * * ${launcherPath(dirB)}`,
      ]);
      const list = await runCli(['install-cron', '--list'], h.env);
      expect(list.stdout).toBe(`${h.stateDir}  every 30s\n${dirB}  every 5m\n`);

      startFakeGateway(['--port', String(h.port)], { env: h.own });
      await waitFor(() => healthy(h.port), { what: 'gateway a' });
      await h.check();
      const all = await runCli(['status', '--all'], h.env);
      const lines = all.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        new RegExp(
          `^default\\s+${h.stateDir}\\s+127\\.0\\.0\\.1:${h.port}\\s+HEALTHY\\s+checked \\d+s ago \\(healthy\\)$`,
        ),
      );
      expect(lines[1]).toMatch(
        new RegExp(`^b\\s+${dirB}\\s+127\\.0\\.0\\.1:${portB}\\s+REFUSED\\s+checked never$`),
      );
      expect(all.code).toBe(1);
      const json = JSON.parse((await runCli(['status', '--all', '--json'], h.env)).stdout);
      expect(json.map((g: { port: number }) => g.port)).toEqual([h.port, portB]);

      const gone = await runCli(['uninstall-cron', '--profile', 'b'], h.env);
      expect(gone.stdout).toBe(
        `removed the openclaw-watchdog block for state dir ${dirB} from your crontab\n`,
      );
      expect(entries(current())).toHaveLength(2);
      expect(current()).toContain(beginMarker(h.stateDir));
      expect((await runCli(['uninstall-cron', '--profile', 'b'], h.env)).stdout).toBe(
        `nothing to remove: no openclaw-watchdog block for state dir ${dirB} in your crontab (there are blocks for: ${h.stateDir}; name one with --state-dir)\n`,
      );
      expect((await runCli(['uninstall-cron'], h.env)).code).toBe(0);
      expect(current()).toBe(FOREIGN);
    });

    it('a block in the old single-block form is replaced by the next install-cron', async () => {
      const h = await makeHome(FAST);
      crontab(
        ['-'],
        FOREIGN + legacyBlock(`PATH=/usr/bin:/bin /usr/bin/node /old/dist/cli.js check`),
      );
      const list = await runCli(['install-cron', '--list'], h.env);
      expect(list.stdout).toBe(
        `${h.stateDir}  every 1m  (old format: run install-cron again to upgrade it)\n`,
      );
      const r = await runCli(['install-cron'], h.env);
      expect(r.stdout).toMatch(/^Replaced in your crontab/);
      expect(current()).toBe(
        `${FOREIGN}${beginMarker(h.stateDir)}\n* * * * * ${launcherPath(h.stateDir)}\n* * * * * sleep 30; ${launcherPath(h.stateDir)}\n${endMarker(h.stateDir)}\n`,
      );
    });

    it('docs/cron.md shows exactly the block and launcher install-cron writes', async () => {
      crontab(['-'], '');
      const readme = readFileSync(join(ROOT, 'docs', 'cron.md'), 'utf8');
      const section = readme.slice(
        readme.indexOf('## install-cron'),
        readme.indexOf('## Living with a systemd user unit'),
      );
      const fences = [...section.matchAll(/```(?:sh)?\n([\s\S]*?)```/g)].map((m) => m[1]!);
      const block = fences.find((f) => f.startsWith('# >>> openclaw-watchdog (state dir'))!;
      const launcher = fences.find((f) => f.startsWith('#!/bin/sh'))!;
      const node = /^exec (\S+) (\S+) check/m.exec(launcher)!;
      const readmePath = /^export PATH=(\S+)$/m.exec(launcher)![1]!;
      const h = await makeHome(FAST);
      const env = { HOME: h.home, PATH: `${PREFIX}${readmePath.replaceAll('/home/me', h.home)}` };
      expect((await runCli(['install-cron'], env)).code).toBe(0);
      expect(current()).toBe(block.replaceAll('/home/me', h.home));
      expect(readFileSync(launcherPath(h.stateDir), 'utf8')).toBe(
        launcher
          .replace(`export PATH=${readmePath}`, `export PATH=${PREFIX}${readmePath}`)
          .replace(node[1]!, process.execPath)
          .replace(node[2]!, CLI)
          .replaceAll('/home/me', h.home),
      );
    });
  },
);

describe.skipIf(!hasCrontab)(
  'crontab editing never loses or changes a line it does not own',
  () => {
    it('uninstall-cron leaves a commented-out block alone, and the live job after it', async () => {
      const h = await makeHome(FAST);
      const commented = legacyBlock('/usr/bin/node /x/cli.js check')
        .trimEnd()
        .split('\n')
        .map((l) => `# ${l}`)
        .join('\n');
      const text = `${FOREIGN}${commented}\n*/5 * * * * /usr/local/bin/live-job\n`;
      crontab(['-'], text);
      const r = await runCli(['uninstall-cron'], h.env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^nothing to remove/);
      expect(current()).toBe(text);
    });

    it('a hand-deleted end marker: install-cron and uninstall-cron refuse, exit 2, nothing written', async () => {
      const h = await makeHome(FAST);
      const text = `${LEGACY_BEGIN}\n* * * * * /usr/bin/node /x/cli.js check\nMAILTO=ops@example.test\n0 1 * * * /usr/local/bin/backup\n`;
      crontab(['-'], text);
      for (const args of [['install-cron'], ['install-cron'], ['uninstall-cron']]) {
        const r = await runCli(args, h.env);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(
          'openclaw-watchdog: your crontab: line 1: a openclaw-watchdog start marker without its end marker; fix it by hand (crontab -e), nothing was changed\n',
        );
        expect(current()).toBe(text);
      }
      expect(existsSync(launcherPath(h.stateDir))).toBe(false);
    });

    it('a CRLF crontab: install-cron replaces its block (no second block), foreign CR bytes kept', async () => {
      const h = await makeHome(FAST);
      const crlf = (t: string) => t.replace(/\n/g, '\r\n');
      const head = crlf('MAILTO=x\n# mine\n');
      const tail = crlf('0 1 * * * /usr/bin/true\n');
      crontab(['-'], head + crlf(legacyBlock('/usr/bin/node /x/cli.js check')) + tail);
      expect((await runCli(['install-cron', '--every', '1m'], h.env)).code).toBe(0);
      const expected = `${head}${beginMarker(h.stateDir)}\n* * * * * ${launcherPath(h.stateDir)}\n${endMarker(h.stateDir)}\n${tail}`;
      // Debian's crontab -l shows a CR as the two characters \r; the spool file holds the bytes
      expect(fromListing(current())).toBe(expected);
      const spool = `/var/spool/cron/crontabs/${userInfo().username}`;
      if (REAL && existsSync(spool))
        expect(readFileSync(spool, 'utf8').endsWith(expected)).toBe(true);
    });

    it('a newline in --state-dir or in PATH is refused by name, exit 2; the crontab is untouched', async () => {
      crontab(['-'], FOREIGN);
      const h = await makeHome(FAST);
      const evil = `${h.home}/x\n* * * * * /usr/bin/touch ${h.home}/pwned`;
      const flag = await runCli(['install-cron', '--state-dir', evil], h.env);
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(
        /^openclaw-watchdog: --state-dir: control characters \(newline, tab, …\) are not allowed in what cron runs, got ".*\\n/,
      );
      const path = await runCli(['install-cron'], {
        ...h.env,
        PATH: `${PREFIX}/usr/bin:/bin\n* * * * * /usr/bin/id`,
      });
      expect(path.code).toBe(2);
      expect(path.stderr).toMatch(/^openclaw-watchdog: PATH: control characters/);
      const port = await runCli(['install-cron'], {
        ...h.env,
        OPENCLAW_STATE_DIR: `${h.home}/s\r`,
      });
      expect(port.stderr).toMatch(/^openclaw-watchdog: OPENCLAW_STATE_DIR: control characters/);
      expect(current()).toBe(FOREIGN);
    });
  },
);

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

describe.skipIf(REAL)('npm test and the real crontab', () => {
  it("the suite above never touched this user's real crontab (a stand-in on PATH took every edit)", () => {
    expect(realCrontab()).toEqual(realBefore);
    expect(existsSync(standIn!.table)).toBe(true);
  });
});
