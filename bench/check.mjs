// Healthy `check` and `probe` against `node -e 0`, side by side in one run (issue: Speed).
// Usage: npm run build && node bench/check.mjs [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, requireTime, table } from './measure.mjs';

requireTime();
const root = fileURLToPath(new URL('..', import.meta.url));
const samples = Number(process.argv[2] ?? 5);
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const home = mkdtempSync(join(tmpdir(), 'ocwd-bench-'));
const gateway = spawn(
  process.execPath,
  [join(root, 'test/fixtures/fake-gateway.mjs'), '--port', String(port)],
  { stdio: 'ignore' },
);
try {
  await new Promise((resolve) => setTimeout(resolve, 800));
  const env = { HOME: home, PATH: process.env.PATH, OPENCLAW_GATEWAY_PORT: String(port) };
  const cli = join(root, 'dist/cli.js');
  measure([process.execPath, cli, 'check'], { samples: 1, batch: 1, env, expectCode: 0 }); // warm the state file
  table(`healthy gateway, medians of ${samples} x 10 runs (node ${process.version})`, [
    ['node -e 0 (baseline)', measure([process.execPath, '-e', '0'], { samples })],
    [
      'openclaw-watchdog probe',
      measure([process.execPath, cli, 'probe'], { samples, env, expectCode: 0 }),
    ],
    [
      'openclaw-watchdog check (healthy)',
      measure([process.execPath, cli, 'check'], { samples, env, expectCode: 0 }),
    ],
  ]);
} finally {
  gateway.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
}
