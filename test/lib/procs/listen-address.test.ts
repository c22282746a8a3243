import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { procAddress, servesHost } from '../../../src/lib/procs/listen-address.js';
import {
  findPortOwner,
  holdsListenPort,
  listeningInodes,
  listenPortsFn,
} from '../../../src/lib/procs/port-owner.js';
import { readStartTicks } from '../../../src/lib/procs/table.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(host: string, port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return (server.address() as { port: number }).port;
}

describe('listening addresses: the address matters, not only the port', () => {
  it('procAddress reads /proc/net hex addresses (host byte order)', () => {
    expect(procAddress('0100007F')).toBe('127.0.0.1');
    expect(procAddress('0200007F')).toBe('127.0.0.2');
    expect(procAddress('00000000')).toBe('0.0.0.0');
    expect(procAddress('00000000000000000000000001000000')).toBe('::1');
    expect(procAddress('00000000000000000000000000000000')).toBe('::');
    expect(procAddress('0000000000000000FFFF00000100007F')).toBe('::ffff:7f00:1');
    expect(procAddress('zz')).toBeNull();
  });

  it('servesHost: wildcards and the address itself serve; another address does not', () => {
    expect(servesHost('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(servesHost('0.0.0.0', '127.0.0.1')).toBe(true);
    expect(servesHost('::', '127.0.0.1')).toBe(true);
    expect(servesHost('::ffff:7f00:1', '127.0.0.1')).toBe(true);
    expect(servesHost('127.0.0.2', '127.0.0.1')).toBe(false);
    expect(servesHost('10.0.0.5', '127.0.0.1')).toBe(false);
    expect(servesHost('::1', '127.0.0.1')).toBe(false);
    expect(servesHost('::1', '::1')).toBe(true);
    expect(servesHost('::1', 'localhost')).toBe(true);
    expect(servesHost('127.0.0.1', 'localhost')).toBe(true);
    expect(servesHost('10.0.0.5', 'localhost')).toBe(false);
    expect(servesHost('10.0.0.5', 'gateway.lan')).toBe(true); // a name: the port decides
  });

  it('a table line on another address with our port is not ours', () => {
    const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0200007F:4965 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000000000000000 100 0 0 10 0
   1: 00000000:4965 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 100 0 0 10 0
`;
    expect(listeningInodes(TCP, 18789)).toEqual([111, 222]);
    expect(listeningInodes(TCP, 18789, '127.0.0.1')).toEqual([222]);
    expect(listeningInodes(TCP, 18789, '127.0.0.2')).toEqual([111, 222]);
  });

  it('a real listener on 127.0.0.2:P: not the owner of 127.0.0.1:P, nor listening there', async () => {
    const port = await listen('127.0.0.2');
    expect(findPortOwner(port, '127.0.0.1')).toEqual({ pid: null, inodes: [] });
    expect(findPortOwner(port, '127.0.0.2').pid).toBe(process.pid);
    const me = { pid: process.pid, startTicks: readStartTicks(process.pid) };
    expect(holdsListenPort(me, port, '127.0.0.1')).toBe(false);
    expect(holdsListenPort(me, port, '127.0.0.2')).toBe(true);
    expect(listenPortsFn(undefined, '127.0.0.1')(process.pid)).not.toContain(port);
    expect(listenPortsFn(undefined, '127.0.0.2')(process.pid)).toContain(port);
    // Then one on 127.0.0.1 with the same port: that one is.
    await listen('127.0.0.1', port);
    expect(findPortOwner(port, '127.0.0.1').pid).toBe(process.pid);
    expect(holdsListenPort(me, port, '127.0.0.1')).toBe(true);
  });
});
