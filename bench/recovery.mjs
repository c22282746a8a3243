// Time to recovery, crash → healthy, over N crashes: median and worst, split into detection
// (the check's probe), restart (check start → gateway spawned) and boot (spawned → healthy).
// Each figure comes twice: with this gateway alone on the host, and with a second gateway (another
// HOME, another port) booting while ours is down. A check that does not restart is followed by
// the next one 30 s later, as cron runs them: `total` is crash → healthy with those waits, and
// `checks` counts the checks it took. The wait for the first check after a crash (up to 30 s)
// is not included.
// Usage: node bench/recovery.mjs [crashes] [--real | --real-only] [--second N]  (N crashes with
// the second gateway booting; default min(crashes, 3): each may take minutes while checks wait)
import {
  FAKE,
  cli,
  freePort,
  killMarked,
  listenerPid,
  realSandbox,
  sandbox,
  sleep,
  startDetached,
  stats,
  until,
} from './lib.mjs';
import { startSecondGateway } from './second-gateway.mjs';

const crashes = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10);
const realOnly = process.argv.includes('--real-only');
const real = realOnly || process.argv.includes('--real');
const at = process.argv.indexOf('--second');
const secondCrashes = at > 0 ? Number(process.argv[at + 1]) : Math.min(crashes, 3);
const CADENCE_MS = 30_000;
const GIVE_UP_MS = 600_000;

/**
 * Crash → healthy once: checks every CADENCE_MS, as cron runs them, until one restarts the gateway
 * healthy (or, after a restart that was still booting when its check ended, finds it healthy).
 */
async function recoverOnce(port, env) {
  const pid = await listenerPid(port);
  process.kill(pid, 'SIGKILL');
  await until(async () => (await listenerPid(port)) === null, 10_000);
  const crashedAt = performance.now();
  let restarted = null;
  for (let checks = 1; ; checks++) {
    const r = cli(['check', '--json'], env);
    const report = JSON.parse(r.stdout);
    if (report.restart) {
      if (report.restart.result === 'failed') throw new Error(`check ${checks}: ${r.stdout}`);
      restarted = { report, ms: r.ms };
    }
    const back = report.restart?.result === 'healthy' || report.probe?.verdict === 'healthy';
    if (back && restarted) {
      const { report: first, ms } = restarted;
      return {
        detection: first.probe.ms,
        restart: first.restart.startedAt - first.startedAt,
        boot: first.restart.endedAt - first.restart.startedAt,
        check: ms,
        total: performance.now() - crashedAt,
        checks,
      };
    }
    if (performance.now() - crashedAt > GIVE_UP_MS) throw new Error(`not back after ${checks}`);
    await sleep(crashedAt + checks * CADENCE_MS - performance.now());
  }
}

async function run(label, setup, n, second) {
  if (n <= 0) return;
  const port = await freePort();
  const box = setup(port);
  if (!box) return;
  const { env, cleanup, startFirst } = box;
  const rows = { detection: [], restart: [], boot: [], check: [], total: [], checks: [] };
  try {
    startFirst(env);
    await until(async () => (await listenerPid(port)) !== null, 120_000);
    await until(() => cli(['probe'], env).code === 0, 120_000, 200);
    for (let i = 0; i < n; i++) {
      const other = second ? await second() : null;
      try {
        const row = await recoverOnce(port, env);
        for (const [k, v] of Object.entries(row)) rows[k].push(v);
      } finally {
        other?.stop();
      }
    }
  } finally {
    killMarked();
    cleanup();
  }
  console.log(`\n${label}: crash → healthy over ${n} crashes (ms; median / worst)`);
  for (const [name, xs] of Object.entries(rows)) {
    const s = stats(xs);
    const f = (x) => (name === 'checks' ? String(x) : x.toFixed(0));
    const each = xs.length <= 5 ? `   (${xs.map(f).join(', ')})` : '';
    console.log(
      `  ${name.padEnd(10)} ${f(s.median).padStart(7)} / ${f(s.worst).padStart(7)}${each}`,
    );
  }
}

const fake = (port) => {
  const argv = [process.execPath, FAKE, '--port', String(port)];
  const box = sandbox(port, { restart: { command: argv, baseDelaySec: 0 } });
  return { ...box, startFirst: (env) => startDetached(argv, env) };
};
const secondFake = () => startSecondGateway({ real: false });
if (!realOnly) {
  await run('fake gateway, alone', fake, crashes);
  await run('fake gateway, a second gateway booting', fake, secondCrashes, secondFake);
}

if (real) {
  const realBox = (port) => {
    const box = realSandbox(port, { restart: { baseDelaySec: 0 } });
    // The first gateway is started directly: a check might wait for another gateway's boot.
    const argv = ['openclaw', 'gateway', 'run', '--bind', 'loopback', '--port', String(port)];
    return box && { ...box, startFirst: (env) => startDetached(argv, env) };
  };
  const secondReal = () => startSecondGateway({ real: true });
  await run('real OpenClaw 2026.9.6, alone', realBox, crashes);
  await run('real OpenClaw 2026.9.6, a second gateway booting', realBox, secondCrashes, secondReal);
}
