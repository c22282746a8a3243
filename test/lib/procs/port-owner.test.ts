import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  findPortOwner,
  holdsPortFn,
  listeningInodes,
  listenPortsFn,
} from '../../../src/lib/procs/port-owner.js';
import { fdLinks } from '../../../src/lib/procs/table.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:4965 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0
   1: 0100007F:4965 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 223456 1 0000000000000000 20 4 30 10 -1
   2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0000000000000000 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:4965 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 654321 1 0000000000000000 100 0 0 10 0
`;

describe('listeningInodes', () => {
  it('finds LISTEN sockets on the port in tcp and tcp6 tables, skipping connections', () => {
    expect(listeningInodes(TCP, 18789)).toEqual([123456]);
    expect(listeningInodes(TCP6, 18789)).toEqual([654321]);
    expect(listeningInodes(TCP, 22)).toEqual([333]);
    expect(listeningInodes(TCP, 1)).toEqual([]);
    expect(listeningInodes(TCP)).toEqual([123456, 333]);
  });
});

describe('findPortOwner', () => {
  it('names this process for a socket it listens on, and nobody for a free port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(findPortOwner(port).pid).toBe(process.pid);
    await new Promise((resolve) => server.close(resolve));
    expect(findPortOwner(port)).toEqual({ pid: null, inodes: [] });
  });
});

describe('one socket walk for both questions', () => {
  it('the pid findPortOwner names holds a port by holdsPort; fd links name its socket', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const owner = findPortOwner(port);
    expect(owner.pid).toBe(process.pid);
    expect(holdsPortFn()(owner.pid!)).toBe(true);
    expect(fdLinks(process.pid)).toContain(`socket:[${owner.inodes[0]}]`);
    expect(fdLinks(2 ** 22 + 7)).toBeNull();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('listenPortsFn', () => {
  it('the ports a pid listens on, from its own sockets; none for a pid that listens nowhere', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const ports = listenPortsFn();
    try {
      expect(ports(process.pid)).toContain(port);
      expect(ports(1 << 22)).toBeNull(); // no such pid
    } finally {
      server.close();
    }
    expect(listenPortsFn()(process.pid)).not.toContain(port);
  });
});
