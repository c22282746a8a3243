#!/usr/bin/env node
// `npm run demo`: the real check against a simulated gateway (test/fixtures/fake-gateway.mjs), in
// a sandbox HOME, in well under a minute. Start it, leave orphans, crash it, run a check, show the
// recovery, the reaped orphans and the events; then clean up every process it started.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const gatewayScript = join(root, 'test', 'fixtures', 'fake-gateway.mjs');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm install` (it builds) or `npm run build` first');
  process.exit(2);
}

const mark = `ocwd-demo-${process.pid}-${Date.now()}`;
const home = mkdtempSync(join(tmpdir(), 'openclaw-watchdog-demo-'));
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const env = {
  HOME: home,
  PATH: process.env.PATH,
  OPENCLAW_GATEWAY_PORT: String(port),
  OCWD_DEMO_MARK: mark,
};
const gatewayArgv = [
  process.execPath,
  gatewayScript,
  '--port',
  String(port),
  '--children',
  'openclaw-message,openclaw-hooks',
];
mkdirSync(join(home, '.openclaw', 'watchdog'), { recursive: true });
writeFileSync(
  join(home, '.openclaw', 'watchdog', 'config.json'),
  JSON.stringify({ restart: { command: gatewayArgv } }, null, 2),
);

const bold = (s) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[0m` : s);
const step = (n, text) => console.log(`\n${bold(`${n}. ${text}`)}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const watchdog = (...args) => {
  console.log(`   $ openclaw-watchdog ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  for (const line of `${r.stdout}${r.stderr}`.trimEnd().split('\n'))
    if (line) console.log(`     ${line}`);
  return r.status;
};
const procsTitled = (prefix) =>
  readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map((pid) => {
      try {
        const [title] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
        return environ.includes(`OCWD_DEMO_MARK=${mark}`) && title.startsWith(prefix)
          ? { pid: Number(pid), title }
          : null;
      } catch {
        return null;
      }
    })
    .filter(Boolean);
async function waitUntil(predicate, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('the demo timed out waiting');
    await sleep(100);
  }
}

const started = Date.now();
console.log(
  `openclaw-watchdog demo: a simulated gateway on 127.0.0.1:${port}, sandbox HOME ${home}`,
);
console.log('(nothing of yours is touched; every process the demo starts is stopped at the end)');
try {
  step(
    1,
    'Start a gateway with two helper processes (as OpenClaw spawns openclaw-message, openclaw-hooks)',
  );
  const first = spawn(gatewayArgv[0], gatewayArgv.slice(1), { env, stdio: 'ignore' });
  await waitUntil(() => procsTitled('openclaw-').length >= 3);
  await sleep(300);
  watchdog('status');

  step(2, 'Crash it (SIGKILL): the gateway is gone, its helpers live on as orphans');
  first.kill('SIGKILL');
  await waitUntil(() => procsTitled('openclaw-gateway').length === 0);
  for (const p of procsTitled('openclaw-')) console.log(`   orphan: pid ${p.pid} ${p.title}`);
  watchdog('probe');

  step(3, 'Run the check that cron runs every 30 s');
  watchdog('check', '--verbose');

  step(4, 'The gateway is back; the orphans are gone');
  watchdog('status');

  step(5, 'What happened, from the event log');
  watchdog('events');
  console.log(
    `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: openclaw-watchdog check, then openclaw-watchdog install-cron.`,
  );
} finally {
  const leftovers = procsTitled('');
  for (const p of leftovers) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(home, { recursive: true, force: true });
  console.log(`Cleaned up: stopped ${leftovers.length} demo process(es), removed ${home}.`);
}
