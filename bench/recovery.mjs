// Time to recovery, crash → healthy, over N crashes: median and worst, split into detection
// (the check's probe), restart (check start → gateway spawned) and boot (spawned → healthy).
// The cron cadence adds up to 30 s of waiting before a check even runs; it is not included.
// Usage: node bench/recovery.mjs [crashes] [--real]
import {
  FAKE,
  cli,
  freePort,
  killMarked,
  listenerPid,
  realSandbox,
  sandbox,
  startDetached,
  stats,
  until,
} from './lib.mjs';

const crashes = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10);
const real = process.argv.includes('--real');

async function run(label, setup) {
  const port = await freePort();
  const box = setup(port);
  if (!box) return;
  const { env, cleanup, startFirst } = box;
  const rows = { detection: [], restart: [], boot: [], total: [] };
  try {
    startFirst(env);
    await until(async () => (await listenerPid(port)) !== null, 120_000);
    await until(() => cli(['probe'], env).code === 0, 120_000, 200);
    for (let i = 0; i < crashes; i++) {
      const pid = await listenerPid(port);
      process.kill(pid, 'SIGKILL');
      await until(async () => (await listenerPid(port)) === null, 10_000);
      const r = cli(['check', '--json'], env);
      const report = JSON.parse(r.stdout);
      if (report.restart?.result !== 'healthy') throw new Error(`crash ${i}: ${r.stdout}`);
      rows.detection.push(report.probe.ms);
      rows.restart.push(report.restart.startedAt - report.startedAt);
      rows.boot.push(report.restart.endedAt - report.restart.startedAt);
      rows.total.push(r.ms);
    }
  } finally {
    killMarked();
    cleanup();
  }
  console.log(`\n${label}: crash → healthy over ${crashes} crashes (ms; median / worst)`);
  for (const [name, xs] of Object.entries(rows)) {
    const s = stats(xs);
    console.log(
      `  ${name.padEnd(10)} ${s.median.toFixed(0).padStart(7)} / ${s.worst.toFixed(0).padStart(7)}`,
    );
  }
}

await run('fake gateway', (port) => {
  const argv = [process.execPath, FAKE, '--port', String(port)];
  const box = sandbox(port, { restart: { command: argv, baseDelaySec: 0 } });
  return { ...box, startFirst: (env) => startDetached(argv, env) };
});

if (real) {
  await run('real OpenClaw 2026.9.6', (port) => {
    const box = realSandbox(port, { restart: { baseDelaySec: 0 } });
    return box && { ...box, startFirst: (env) => cli(['check'], env) };
  });
}
