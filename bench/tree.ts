// What reading the live gateway's tree costs (the memory and children signals, every healthy
// check): the children-file walk this uses, against one scan of /proc, on the tree of `pid`.
// Usage: npx tsx bench/tree.ts <gateway pid> [runs]
import { readGatewayTree } from '../src/lib/procs/gateway-tree.js';
import { listProcesses, readProc } from '../src/lib/procs/table.js';
import { descendants } from '../src/lib/procs/tree.js';

const pid = Number(process.argv[2]);
const runs = Number(process.argv[3] ?? 200);
const proc = readProc(pid);
if (!proc) throw new Error(`no process ${pid}`);
const time = async (what: string, f: () => unknown) => {
  await f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await f();
  const ms = Number(process.hrtime.bigint() - t) / runs / 1e6;
  console.log(`${what}: ${ms.toFixed(3)} ms`);
};
const tree = readGatewayTree(pid, proc.startTicks, true)!;
console.log(
  `pid ${pid}: ${tree.descendants} descendants, ${Math.round(tree.rssBytes / 2 ** 20)} MiB, kinds ${tree.kinds.map((k) => `${k.name} ${k.count}`).join(', ')}`,
);
await time('readGatewayTree (children walk, one scan past 16), with cgroup limit', () =>
  readGatewayTree(pid, proc.startTicks, true),
);
await time('readGatewayTree, no limit', () => readGatewayTree(pid, proc.startTicks, false));
await time('one /proc scan (listProcesses) + descendants', async () =>
  descendants(pid, await listProcesses()),
);
