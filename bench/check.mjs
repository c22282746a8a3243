// Healthy `check` and `probe` against `node -e 0`, side by side in one run; with --real, also
// against `openclaw health --json` (what existing watchdogs run every minute) on a real gateway.
// Usage: npm run build && node bench/check.mjs [samples] [--real]
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
import { measure, requireTime, table } from './measure.mjs';

requireTime();
const samples = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
const cliPath = join(ROOT, 'dist', 'cli.js');
const node = process.execPath;

async function bench(label, env, extraRows = []) {
  cli(['check'], env); // warm the state file
  table(`${label}: healthy gateway, medians of ${samples} x 10 runs (node ${process.version})`, [
    ['node -e 0 (baseline)', measure([node, '-e', '0'], { samples })],
    ['openclaw-watchdog probe', measure([node, cliPath, 'probe'], { samples, env, expectCode: 0 })],
    [
      'openclaw-watchdog check (healthy)',
      measure([node, cliPath, 'check'], { samples, env, expectCode: 0 }),
    ],
    ...extraRows.map(([name, argv, opts]) => [
      name,
      measure(argv, { env, expectCode: 0, ...opts }),
    ]),
  ]);
}

{
  const port = await freePort();
  const box = sandbox(port);
  try {
    startDetached([node, FAKE, '--port', String(port)], box.env);
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
