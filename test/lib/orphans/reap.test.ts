import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { holdsPortFn, readListening } from '../../../src/lib/procs/port-owner.js';
import { readProc } from '../../../src/lib/procs/table.js';
import { HELPER, killTracked, start, waitFor } from '../../helpers/processes.js';

let server: Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
  killTracked();
});

/** holdsPortFn reading the real /proc/net tables, recording which ones it read. */
function recording() {
  const read: string[] = [];
  const holdsPort = holdsPortFn((table) => {
    read.push(table);
    return readListening(table);
  });
  return { read, holdsPort };
}

describe('holdsPort (asked of gateway-titled orphan candidates, the live gateway included)', () => {
  it('a process listening on IPv4: true from /proc/net/tcp alone (tcp6 is not read)', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { read, holdsPort } = recording();
    expect(holdsPort(process.pid)).toBe(true);
    expect(read).toEqual(['/proc/net/tcp']);
  });

  it('a process without sockets: false, and no table is read', async () => {
    const child = start(process.execPath, [HELPER, 'openclaw-hooks']);
    await waitFor(() => readProc(child.pid!)?.title === 'openclaw-hooks', { what: 'helper' });
    const { read, holdsPort } = recording();
    expect(holdsPort(child.pid!)).toBe(false);
    expect(read).toEqual([]);
  });

  it('a pid it cannot inspect: true (left alone)', () => {
    const { read, holdsPort } = recording();
    expect(holdsPort(2 ** 22 + 7)).toBe(true);
    expect(read).toEqual([]);
  });
});
