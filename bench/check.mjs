// Healthy `check` and `probe` against `node -e 0`, side by side in one run, on each Node: this one
// (Node 20) and the Node 24 that ../shared/real-openclaw/install.sh installs (what users' cron runs).
// With --real, also against `openclaw health --json` (what existing watchdogs run every minute) on
// a real gateway.
// Also the floor (bench/floor.mjs: only http, net and crypto loaded, the probe's four connections),
// and with --before <cli.js> another build's healthy check beside this one (e.g. main's dist/).
// Usage: npm run build && node bench/check.mjs [samples] [--real] [--before path/to/dist/cli.js]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  FAKE,
  ROOT,
  cli,
  freePort,
  killMarked,
  listenerPid,
  realSandbox,
  sandbox,
  startDetached,
  until,
} from './lib.mjs';
import { measure, measureInterleaved, nodes, requireTime, table } from './measure.mjs';

requireTime();
const samples = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
const cliPath = join(ROOT, 'dist', 'cli.js');
const floorPath = join(ROOT, 'bench', 'floor.mjs');
const beforeAt = process.argv.indexOf('--before');
const before = beforeAt > 0 ? process.argv[beforeAt + 1] : null;
const node = process.execPath;
const NODES = nodes();
// Goals (issue 12): CPU × `node -e 0` on the same Node.
const GOAL = { 20: 1.5, 24: 2.5 };
const PEAK_GOAL_MIB = { 24: 52 };

async function bench(label, env, extraRows = []) {
  cli(['check'], env); // warm the state file
  const summary = [];
  for (const { node: n, version } of NODES) {
    // The baseline runs with the check's environment: a variable such as NODE_EXTRA_CA_CERTS (set in
    // some shells, never in cron's) makes Node 20 load certificates at start, +40 ms to every run.
    // Every row's batches interleaved with the others' (measureInterleaved): side by side in time.
    const rows = [
      ['node -e 0 (baseline)', [n, '-e', '0']],
      ['floor: http+net+crypto, 4 connections', [n, floorPath]],
      ['openclaw-watchdog probe', [n, cliPath, 'probe']],
      ...(before ? [['check (healthy), before', [n, before, 'check']]] : []),
      ['openclaw-watchdog check (healthy)', [n, cliPath, 'check']],
    ];
    for (const [, argv] of rows.slice(1)) {
      const r = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    const figures = measureInterleaved(
      rows.map(([, argv]) => argv),
      { samples, env },
    );
    const base = figures[0];
    const check = figures.at(-1);
    table(`${label}: healthy gateway, medians of ${samples} x 10 runs (node ${version})`, [
      ...rows.map(([name], i) => [name, figures[i]]),
      ...(n === node
        ? extraRows.map(([name, argv, opts]) => [
            name,
            measure(argv, { env, expectCode: 0, ...opts }),
          ])
        : []),
    ]);
    const major = Number(version.slice(1).split('.')[0]);
    const goal = GOAL[major] ? `, goal <= ${GOAL[major]}x` : '';
    const peakGoal = PEAK_GOAL_MIB[major] ? `, goal <= ${PEAK_GOAL_MIB[major]} MiB` : '';
    summary.push(
      `  node ${version}: healthy check ${(check.cpu / base.cpu).toFixed(2)}x node -e 0${goal}; peak ${check.rssMiB.toFixed(1)} MiB${peakGoal} (bare ${base.rssMiB.toFixed(1)})`,
    );
  }
  console.log(
    `\n${label}: healthy check against node -e 0 on the same Node, same run\n${summary.join('\n')}`,
  );
}

{
  const port = await freePort();
  const box = sandbox(port);
  try {
    // Its lock in the state dir, as the real gateway writes it: a healthy check then knows the
    // gateway and reads its tree (memory and children signals), as it does with a real one.
    const stateDir = join(box.home, '.openclaw');
    startDetached([node, FAKE, '--port', String(port), '--state-dir', stateDir], box.env);
    await until(async () => (await listenerPid(port)) !== null);
    await bench('fake gateway', box.env);
  } finally {
    killMarked();
    box.cleanup();
  }
}

if (process.argv.includes('--real')) {
  const port = await freePort();
  const box = realSandbox(port);
  if (box) {
    try {
      const first = cli(['check'], box.env);
      if (first.code !== 0) throw new Error(`could not start the real gateway: ${first.stderr}`);
      await until(() => cli(['probe'], box.env).code === 0, 120_000, 500);
      await bench('real OpenClaw 2026.9.6', box.env, [
        ['openclaw health --json', ['openclaw', 'health', '--json'], { samples: 3, batch: 2 }],
      ]);
    } finally {
      killMarked();
      box.cleanup();
    }
  }
}
