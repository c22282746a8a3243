// 100 orphans reaped in one check (vs the same check with none), and classifying a synthetic table
// of 2,000 processes (vs a bare loop over the same table), side by side in one run.
// Usage: node bench/orphans.mjs
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  FAKE,
  ROOT,
  cli,
  freePort,
  killMarked,
  sandbox,
  startDetached,
  stats,
  until,
  listenerPid,
  srcModule,
} from './lib.mjs';

const { classifyOrphans } = await srcModule('lib/orphans/classify.ts');

// 1. 100 orphans in one healthy check (minAgeSec 0), against the same check with no orphans.
const port = await freePort();
const box = sandbox(port, { orphans: { minAgeSec: 0 } });
try {
  startDetached([process.execPath, FAKE, '--port', String(port)], box.env);
  await until(async () => (await listenerPid(port)) !== null);
  const empty = [];
  for (let i = 0; i < 5; i++) empty.push(cli(['check'], box.env).ms);
  const titles = Array.from(
    { length: 100 },
    (_, i) => ['openclaw-message', 'openclaw-completion', 'openclaw-hooks'][i % 3],
  );
  const made = spawnSync(
    process.execPath,
    [join(ROOT, 'test', 'fixtures', 'orphan-maker.mjs'), ...titles],
    { env: box.env, encoding: 'utf8' },
  );
  const pids = JSON.parse(made.stdout);
  const r = cli(['check', '--json'], box.env);
  const report = JSON.parse(r.stdout);
  const reaped = report.orphans?.reaped?.length ?? 0;
  console.log('\n100 orphans reaped in one check (ms)');
  console.log(
    `  check, no orphans (baseline, median of 5) ${stats(empty).median.toFixed(0).padStart(6)}`,
  );
  console.log(
    `  check reaping ${String(pids.length).padStart(3)} orphans               ${r.ms.toFixed(0).padStart(6)}   reaped ${reaped}, survivors ${report.orphans?.survivors?.length ?? '?'}`,
  );
} finally {
  killMarked();
  box.cleanup();
}

// 2. Classifying 2,000 processes.
const table = Array.from({ length: 2000 }, (_, i) => ({
  pid: i + 2,
  ppid: i % 4 === 0 ? 1 : i + 1,
  uid: i % 7 === 0 ? 0 : 1000,
  name: ['openclaw-messag', 'node', 'bash', 'openclaw-gatewa', 'claude'][i % 5],
  title: ['openclaw-message', 'node', 'bash', 'openclaw-gateway', '/usr/bin/claude'][i % 5],
  startTicks: i * 13,
  state: 'S',
  rssBytes: 300 << 20,
  ageSec: i,
}));
const rules = {
  uid: 1000,
  patterns: ['openclaw-*', 'claude', 'mcp-*'],
  livePids: new Set([5]),
  protectedPids: new Set([1, 2]),
  minAgeSec: 600,
  graceSec: 120,
  holdsPort: () => false,
  unitOf: () => null,
};
const time = (fn) => {
  const xs = [];
  for (let i = 0; i < 51; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return stats(xs).median;
};
let sink = 0;
const bare = time(() => {
  for (const p of table) sink += p.pid;
});
const classify = time(() => {
  sink += classifyOrphans(table, rules).length;
});
console.log('\nclassify a table of 2,000 processes (ms, median of 51)');
console.log(`  bare loop over the table (baseline) ${bare.toFixed(3).padStart(8)}`);
console.log(
  `  classifyOrphans                     ${classify.toFixed(3).padStart(8)}   (${classifyOrphans(table, rules).length} orphans)`,
);
if (sink < 0) console.log(sink);
