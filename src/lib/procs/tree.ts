import type { Proc } from './proc-stat.js';

/** Every descendant of `pid` in a process table. Pure. */
export function descendants<P extends Pick<Proc, 'pid' | 'ppid'>>(pid: number, table: P[]): P[] {
  const children = new Map<number, P[]>();
  for (const p of table) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const out: P[] = [];
  const queue = [pid];
  const seen = new Set<number>([pid]);
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** The pid and its ancestors up to init. Pure. */
export function ancestry(pid: number, table: Proc[]): Set<number> {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const out = new Set<number>([pid]);
  let current = byPid.get(pid);
  while (current && current.ppid > 0 && !out.has(current.ppid)) {
    out.add(current.ppid);
    current = byPid.get(current.ppid);
  }
  return out;
}
