#!/usr/bin/env node
// `npm run demo`: the real check against a simulated gateway (test/fixtures/fake-gateway.mjs), in
// a sandbox HOME, in well under a minute. Start it, leave orphans, crash it, run a check, show the
// recovery, the reaped orphans and the events; then clean up every process it started.
// It checks its own result, looking only at its own port and its own processes (other OpenClaw
// gateways may run on this machine): exit 0 only when a new gateway of the demo's answers healthy
// on the demo's port and every orphan it left is gone; exit 1 otherwise.
// OCWD_DEMO_FAULT=no-restart | orphans-stay breaks it on purpose (for its own test).
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
const stateDir = join(home, '.openclaw');
// OpenClaw's file log in the sandbox, not /tmp/openclaw (shared by every gateway of this user: the
// demo would quote another gateway's lines as its evidence). The simulated gateway writes it.
const openclawLog = join(home, 'openclaw-demo.log');
const gatewayArgv = [
  process.execPath,
  gatewayScript,
  '--port',
  String(port),
  '--state-dir',
  stateDir,
  '--log-file',
  openclawLog,
  '--children',
  'openclaw-message,openclaw-hooks',
];
const fault = process.env.OCWD_DEMO_FAULT ?? '';
// The simulated gateway listens within milliseconds: no startup grace is needed, and none lets a
// gateway someone else is booting on this machine hold up the demo's restart.
const settings = {
  probe: { startupGraceSec: 0 },
  restart: {
    command: fault === 'no-restart' ? [process.execPath, '-e', 'process.exit(1)'] : gatewayArgv,
  },
  ...(fault === 'orphans-stay' ? { orphans: { action: 'report' } } : {}),
};
mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ logging: { file: openclawLog } }));
writeFileSync(join(stateDir, 'watchdog', 'config.json'), JSON.stringify(settings, null, 2));

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
/** Alive, and not a zombie (PID 1 may reap slowly). */
const alive = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
};
const hasMark = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1')
      .split('\0')
      .includes(`OCWD_DEMO_MARK=${mark}`);
  } catch {
    return false;
  }
};
async function waitUntil(predicate, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('the demo timed out waiting');
    await sleep(100);
  }
}

/** The watchdog's own view of the demo's port (`status --json`: a live probe, the pid on it). */
function gatewayOnPort() {
  const r = spawnSync(process.execPath, [cli, 'status', '--json'], { env, encoding: 'utf8' });
  try {
    const { gateway } = JSON.parse(r.stdout);
    return { verdict: gateway.state, owner: gateway.pid };
  } catch {
    return { verdict: `unknown (status exited ${r.status})`, owner: null };
  }
}

/** What went wrong, judged on the demo's own port and its own processes only. */
async function verify(firstPid, orphans) {
  const problems = [];
  const { verdict, owner } = gatewayOnPort();
  if (verdict !== 'healthy') problems.push(`the gateway on port ${port} is ${verdict}`);
  else if (owner === null || owner === firstPid || !hasMark(owner))
    problems.push(`port ${port} is not served by a new gateway of the demo's (pid ${owner})`);
  const left = orphans.filter((o) => alive(o.pid));
  if (left.length) problems.push(`orphans remain: ${left.map((o) => o.pid).join(', ')}`);
  return { problems, owner };
}

let failed = true;
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
  const orphans = procsTitled('openclaw-');
  for (const p of orphans) console.log(`   orphan: pid ${p.pid} ${p.title}`);
  watchdog('probe');

  step(3, 'Run the check that cron runs every 30 s');
  watchdog('check', '--verbose');

  step(4, "The watchdog's view");
  watchdog('status');

  step(5, 'What happened, from the event log');
  watchdog('events', '--evidence');

  step(6, `Verify, on port ${port} and the demo's own processes only`);
  const { problems, owner } = await verify(first.pid, orphans);
  failed = problems.length > 0;
  if (failed) {
    for (const p of problems) console.log(`   NOT verified: ${p}`);
  } else {
    console.log(`   verified: a new gateway (pid ${owner}) answers healthy on port ${port}`);
    console.log(`   verified: ${orphans.length} of ${orphans.length} orphans gone`);
  }
  console.log(
    failed
      ? `\nThe demo FAILED in ${((Date.now() - started) / 1000).toFixed(1)} s: see above.`
      : `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Next: openclaw-watchdog check, then openclaw-watchdog install-cron.`,
  );
} catch (error) {
  console.log(`\nThe demo FAILED: ${error.message}`);
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
process.exitCode = failed ? 1 : 0;
