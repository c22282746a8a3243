import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/lib/notify/channel.js';
import { commandChannel } from '../../../src/lib/notify/command.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';
import { isAlive, killTracked, track, waitFor } from '../../helpers/processes.js';

afterEach(() => {
  killTracked();
  removeTempDirs();
});

const ctx = { host: 'vps1', port: 18789 };
const down: Alert = {
  id: 'alert-1',
  at: Date.UTC(2026, 10, 26),
  event: {
    level: 'error',
    event: 'gateway_down',
    reason: 'nothing listens on the port',
    evidence: ['boot', 'FATAL heap out of memory'],
    evidenceFrom: '/x/gateway.log',
  },
};
const command = (argv: string[], timeoutMs: number | null = null) =>
  commandChannel({ argv, timeoutMs, events: null }, ctx);

/** A node script in a temp dir; argv that runs it. */
function script(source: string): { argv: string[]; dir: string } {
  const dir = tempDir();
  const file = join(dir, 'notify.mjs');
  writeFileSync(file, source);
  return { argv: [process.execPath, file, dir], dir };
}

describe('command channel: real programs, argv without a shell, the alert as JSON on stdin', () => {
  it('a script receives the alert as JSON on stdin; exit 0 is delivered; the label shows the program only', async () => {
    const { argv, dir } = script(`
      import { writeFileSync } from 'node:fs';
      let input = '';
      process.stdin.on('data', (d) => (input += d));
      process.stdin.on('end', () => writeFileSync(process.argv[2] + '/got.json', input));
    `);
    const ch = command([...argv, '--token', 'not-in-label']);
    expect(ch.label).toBe('command node');
    expect(await ch.send(down, 5000)).toBeNull();
    const got = JSON.parse(readFileSync(join(dir, 'got.json'), 'utf8')) as Record<string, unknown>;
    expect(got).toMatchObject({
      id: 'alert-1',
      event: 'gateway_down',
      level: 'error',
      host: 'vps1',
      port: 18789,
      ts: '2026-11-26T00:00:00.000Z',
      details: {
        reason: 'nothing listens on the port',
        evidence: ['boot', 'FATAL heap out of memory'],
      },
    });
    expect(got.message).toBe(
      '🔴 openclaw-watchdog vps1:18789: gateway down: nothing listens on the port',
    );
    expect(got.text).toContain('Last lines from /x/gateway.log:\nboot\nFATAL heap out of memory');
  });

  it('exit 1 fails with the exit code and its last stderr line', async () => {
    const { argv } = script(
      `process.stderr.write('sendmail: connection refused\\n'); process.exit(1);`,
    );
    expect(await command(argv).send(down, 5000)).toBe('exit code 1: sendmail: connection refused');
  });

  it('the reason is the last non-empty line of the TAIL of a long stderr', async () => {
    const { argv } = script(
      `import { writeSync } from 'node:fs';
       let text = '';
       for (let i = 0; i < 20000; i++) text += 'progress line ' + i + '\\n';
       writeSync(2, text + 'mail: relay denied\\n\\n  \\n');
       process.exit(3);`,
    );
    expect(await command(argv).send(down, 5000)).toBe('exit code 3: mail: relay denied');
  });

  it('what it prints never shows its own argv credentials (curl -u user:pass echoes them)', async () => {
    const { argv } = script(
      `process.stderr.write('curl: (22) 401 for user ' + process.argv.slice(3).join(' ') + '\\n'); process.exit(22);`,
    );
    const reason = await command([...argv, '-u', 'mailuser:positionalpw99']).send(down, 5000);
    expect(reason).toMatch(/^exit code 22: curl: \(22\) 401 for user -u <redacted>/);
    expect(reason).not.toContain('positionalpw99');
    const url = await command([...argv, 'smtps://bob:Pw0rd-smtp-99@mail.example/']).send(
      down,
      5000,
    );
    expect(url).not.toContain('Pw0rd-smtp-99');
  });

  it('runs without the gateway credentials, or any variable holding a configured secret, in its env', async () => {
    const { argv, dir } = script(
      `import { writeFileSync } from 'node:fs';
       writeFileSync(process.argv[2] + '/env.json', JSON.stringify(process.env));`,
    );
    const saved = { ...process.env };
    Object.assign(process.env, {
      OPENCLAW_GATEWAY_TOKEN: 'gw-token-0123456789',
      OPENCLAW_GATEWAY_PASSWORD: 'gw-pass-secret',
      MY_HOOK: 'https://hooks.example/secret-hook-99',
      KEEP_ME: 'plain',
    });
    try {
      const ch = commandChannel({ argv, timeoutMs: null, events: null }, ctx, [
        'https://hooks.example/secret-hook-99',
      ]);
      expect(await ch.send(down, 5000)).toBeNull();
    } finally {
      for (const k of ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_GATEWAY_PASSWORD', 'MY_HOOK', 'KEEP_ME'])
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
    }
    const env = JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8')) as Record<string, string>;
    expect(env.KEEP_ME).toBe('plain');
    expect(env).not.toHaveProperty('OPENCLAW_GATEWAY_TOKEN');
    expect(env).not.toHaveProperty('OPENCLAW_GATEWAY_PASSWORD');
    expect(env).not.toHaveProperty('MY_HOOK');
  });

  // The timeouts leave the program time to start (and write its pid) on a loaded machine.
  it('one that hangs is killed at the timeout, with what it started (its process group)', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'sleep.pid');
    const argv = ['/bin/sh', '-c', `sleep 300 & echo $! > ${pidFile}; wait`];
    const started = Date.now();
    const ch = command(argv, 2000); // its own timeout: what deliver passes it (or less, see send.ts)
    expect(ch.timeoutMs).toBe(2000);
    expect(await ch.send(down, ch.timeoutMs!)).toBe('no exit within 2000 ms (killed)');
    expect(Date.now() - started).toBeLessThan(10_000);
    const sleeper = track(Number(readFileSync(pidFile, 'utf8')));
    await waitFor(() => !isAlive(sleeper), { what: 'the sleep it started to be gone' });
  });

  it('one that ignores SIGTERM gets SIGKILL', async () => {
    const { argv, dir } = script(`
      import { writeFileSync } from 'node:fs';
      process.on('SIGTERM', () => {});
      writeFileSync(process.argv[2] + '/pid', String(process.pid));
      setInterval(() => {}, 1000);
    `);
    expect(await command(argv).send(down, 3000)).toBe('no exit within 3000 ms (killed)');
    const pid = track(Number(readFileSync(join(dir, 'pid'), 'utf8')));
    expect(isAlive(pid)).toBe(false);
  });

  it('a program that does not exist, or does not read stdin, is a reason, never a crash', async () => {
    expect(await command(['/nonexistent/notify']).send(down, 5000)).toBe('cannot start: ENOENT');
    expect(await command(['/bin/true']).send(down, 5000)).toBeNull();
  });
});
