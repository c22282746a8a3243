// The memory measure on a leaking tree: a bash holding N children (`sleep`, or idle `node` with
// KIND=node), read as the memory ceiling reads it (gateway RSS + each descendant's resident −
// shared), against the plain RSS sum and the Pss sum (smaps_rollup), and what one read costs.
// Kills them by pid after. Usage: N=1000 npx tsx bench/tree-many.ts; N=10 KIND=node npx tsx …
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readGatewayTree } from '../src/lib/procs/gateway-tree.js';
import { readProc } from '../src/lib/procs/table.js';

const N = Number(process.env.N ?? 1000);
const child = process.env.KIND === 'node' ? `node -e 'setTimeout(()=>{},600000)'` : 'sleep 600';
const parent = spawn('bash', ['-c', `for i in $(seq ${N}); do ${child} & done; wait`], {
  stdio: 'ignore',
});
const pid = parent.pid!;
const children = () =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
const until = Date.now() + 30_000;
while (children().length < N && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 2000)); // node children: past their start
const kids = children();
const mib = (b: number) => Math.round(b / 2 ** 20);
try {
  const ticks = readProc(pid)!.startTicks;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const tree = readGatewayTree(pid, ticks, true);
    const ms = performance.now() - t0;
    console.log(
      `${tree?.descendants} descendants, measure ${mib(tree?.rssBytes ?? 0)} MiB: ${ms.toFixed(1)} ms`,
    );
  }
  const field = (p: string, name: string) =>
    Number(
      new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(
        readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'),
      )?.[1] ?? 0,
    ) * 1024;
  const all = [String(pid), ...kids];
  console.log(
    `RSS sum ${mib(all.reduce((s, p) => s + field(p, 'Rss'), 0))} MiB, Pss sum ${mib(all.reduce((s, p) => s + field(p, 'Pss'), 0))} MiB`,
  );
  const t0 = performance.now();
  for (const p of all) field(p, 'Pss');
  console.log(
    `Pss read (smaps_rollup) for the same tree: ${(performance.now() - t0).toFixed(1)} ms`,
  );
} finally {
  for (const k of kids)
    try {
      process.kill(Number(k), 'SIGKILL');
    } catch {
      // gone already
    }
  process.kill(pid, 'SIGKILL');
}
