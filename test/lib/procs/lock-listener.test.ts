import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LOCK_LISTENER_RECHECK_MS,
  listenerFresh,
  lockListenPorts,
} from '../../../src/lib/procs/lock-listener.js';
import { listeningInodes, readTableText } from '../../../src/lib/procs/port-owner.js';
import { fdLinks, readProc } from '../../../src/lib/procs/table.js';

// This process is the gateway here: its real sockets, its real fds, the real /proc/net tables
// (read through a counter: the point is how often the kernel's tables are read).
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(port = 0): Promise<{ port: number; inode: number }> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  const held = new Set(fdLinks(process.pid));
  const inode = listeningInodes(readTableText('/proc/net/tcp'), bound).find((i) =>
    held.has(`socket:[${i}]`),
  )!;
  return { port: bound, inode };
}

const me = () => ({ pid: process.pid, startTicks: readProc(process.pid)!.startTicks });
const NOW = 1_800_000_000_000;

function counted() {
  const reads: string[] = [];
  const readTable = (table: string) => {
    reads.push(table);
    return readTableText(table);
  };
  return { reads, readTable };
}

describe('lockListenPorts: where the lock’s gateway listens, the kernel tables read only when needed', () => {
  it('nothing remembered: the tables are read, and the socket on our port is remembered', async () => {
    const ours = await listen();
    const other = await listen();
    const { reads, readTable } = counted();
    const l = lockListenPorts(null, me(), ours.port, NOW, { readTable });
    expect(l.ports(process.pid)?.sort()).toEqual([ours.port, other.port].sort());
    expect(reads.length).toBeGreaterThan(0);
    expect(l.seen()).toEqual({ ...me(), inode: ours.inode, port: ours.port, at: NOW });
  });

  it('remembered, and the process still holds that socket: [port], no table read', async () => {
    const ours = await listen();
    const saved = { ...me(), inode: ours.inode, port: ours.port, at: NOW - 60_000 };
    const { reads, readTable } = counted();
    const l = lockListenPorts(saved, me(), ours.port, NOW, { readTable });
    expect(l.ports(process.pid)).toEqual([ours.port]);
    expect(reads).toEqual([]);
    expect(l.seen()).toBe(saved);
  });

  it('the remembered socket is closed (a new one on the port): read again, the new one remembered', async () => {
    const first = await listen();
    await new Promise((r) => servers.shift()!.close(r));
    const again = await listen(first.port);
    expect(again.inode).not.toBe(first.inode);
    const saved = { ...me(), inode: first.inode, port: first.port, at: NOW - 1000 };
    const { reads, readTable } = counted();
    const l = lockListenPorts(saved, me(), first.port, NOW, { readTable });
    expect(l.ports(process.pid)).toEqual([first.port]);
    expect(reads.length).toBeGreaterThan(0);
    expect(l.seen()).toMatchObject({ inode: again.inode, at: NOW });
  });

  it('no longer on our port at all: its real ports, nothing remembered', async () => {
    const elsewhere = await listen();
    const saved = { ...me(), inode: 1, port: 1, at: NOW - 1000 };
    const l = lockListenPorts(saved, me(), 1, NOW);
    expect(l.ports(process.pid)).toEqual([elsewhere.port]);
    expect(l.seen()).toBeNull();
  });

  it('another process by now (start time), another pid asked, too old, or from the future: read again', async () => {
    const ours = await listen();
    const saved = { ...me(), inode: ours.inode, port: ours.port, at: NOW - 1000 };
    const cases: [typeof saved, ReturnType<typeof me>, number][] = [
      [{ ...saved, startTicks: saved.startTicks + 1 }, me(), NOW],
      [saved, me(), saved.at + LOCK_LISTENER_RECHECK_MS],
      [{ ...saved, at: NOW + 60_000 }, me(), NOW],
      // the lock names another process: what was remembered of this one does not answer
      [saved, { pid: 1, startTicks: 1 }, NOW],
    ];
    for (const [remembered, ref, now] of cases) {
      const { reads, readTable } = counted();
      const l = lockListenPorts(remembered, ref, ours.port, now, { readTable });
      expect(l.ports(process.pid)).toContain(ours.port);
      expect(reads.length).toBeGreaterThan(0);
    }
  });
});

describe('listenerFresh', () => {
  const saved = { pid: 10, startTicks: 20, inode: 30, port: 40, at: NOW };
  it('only for the same pid and start time, not older than the recheck, not from the future', () => {
    expect(listenerFresh(saved, { pid: 10, startTicks: 20 }, NOW)).toBe(true);
    expect(
      listenerFresh(saved, { pid: 10, startTicks: 20 }, NOW + LOCK_LISTENER_RECHECK_MS - 1),
    ).toBe(true);
    expect(listenerFresh(saved, { pid: 10, startTicks: 20 }, NOW + LOCK_LISTENER_RECHECK_MS)).toBe(
      false,
    );
    expect(listenerFresh(saved, { pid: 10, startTicks: 20 }, NOW - 1)).toBe(false);
    expect(listenerFresh(saved, { pid: 11, startTicks: 20 }, NOW)).toBe(false);
    expect(listenerFresh(saved, { pid: 10, startTicks: 21 }, NOW)).toBe(false);
    expect(listenerFresh(null, { pid: 10, startTicks: 20 }, NOW)).toBe(false);
    expect(listenerFresh(undefined, { pid: 10, startTicks: 20 }, NOW)).toBe(false);
  });
});
