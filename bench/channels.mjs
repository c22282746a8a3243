// What the channel checks cost a healthy `check` (fake gateway with a token, one Telegram account
// up): the usual check, where no channel look is due (no RPC), beside one where the look is due
// every check (channels.checkEverySec 0: one `channels.status` RPC over a token session).
// Usage: npm run build && node bench/channels.mjs [samples]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLI,
  FAKE,
  cli,
  freePort,
  killMarked,
  listenerPid,
  sandbox,
  startDetached,
  until,
} from './lib.mjs';
import { measureInterleaved, requireTime, table } from './measure.mjs';

requireTime();
const samples = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
const node = process.execPath;
const TOKEN = 'bench-channels-token-0123456789';
const port = await freePort();
const scratch = mkdtempSync(join(tmpdir(), 'ocwd-bench-ch-'));
const control = join(scratch, 'control.json');
const account = {
  accountId: 'default',
  enabled: true,
  running: true,
  connected: true,
  lifecycle: 'ready',
};
writeFileSync(
  control,
  JSON.stringify({
    rpc: { 'channels.status': { ok: true, payload: { channelAccounts: { telegram: [account] } } } },
  }),
);
const notDue = sandbox(port, { gateway: { token: TOKEN }, channels: { checkEverySec: 300 } });
const due = sandbox(port, { gateway: { token: TOKEN }, channels: { checkEverySec: 0 } });
try {
  startDetached(
    [node, FAKE, '--port', String(port), '--token', TOKEN, '--control', control],
    notDue.env,
  );
  await until(async () => (await listenerPid(port)) !== null);
  for (const box of [notDue, due]) {
    const first = cli(['check'], box.env);
    if (first.code !== 0) throw new Error(`check exited ${first.code}: ${first.stderr}`);
  }
  // Each row's environment is its own sandbox: run through `env` so they interleave.
  const row = (box) => [
    '/usr/bin/env',
    `HOME=${box.env.HOME}`,
    `OPENCLAW_GATEWAY_PORT=${port}`,
    node,
    CLI,
    'check',
  ];
  const rows = [
    ['node -e 0 (baseline)', [node, '-e', '0']],
    ['check (healthy), no channel look due', row(notDue)],
    ['check (healthy), channels.status every check', row(due)],
  ];
  const figures = measureInterleaved(
    rows.map(([, argv]) => argv),
    { samples, env: notDue.env },
  );
  table(
    `channel checks, medians of ${samples} x 10 runs (node ${process.version})`,
    rows.map(([name], i) => [name, figures[i]]),
  );
} finally {
  killMarked();
  notDue.cleanup();
  due.cleanup();
  rmSync(scratch, { recursive: true, force: true });
}
