import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { healthy } from './helpers/gateways.js';
import { startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';

afterEach(cleanUp);

/** The sockets a process holds (its fd links). */
const sockets = (pid: number) =>
  readdirSync(`/proc/${pid}/fd`)
    .map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((l) => l.startsWith('socket:['));

type Remembered = { pid: number; startTicks: number; inode: number; port: number; at: number };

describe('where the lock’s gateway listens, remembered between checks (procs/lock-listener.ts)', () => {
  it('an in-place restart (same pid, a new listening socket): the next check sees the old socket gone and remembers the new one', async () => {
    const h = await makeHome(FAST);
    const gw = startFakeGateway(['--port', String(h.port), '--state-dir', h.stateDir], {
      env: h.own,
    });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    const first = h.state().lockListener as Remembered;
    expect(first).toMatchObject({ pid: gw.pid, port: h.port });
    expect(sockets(gw.pid!)).toContain(`socket:[${first.inode}]`);
    // SIGUSR2: the fake gateway closes its listener and listens again, as OpenClaw's in-place
    // restart does: the same process, another socket on the same port.
    process.kill(gw.pid!, 'SIGUSR2');
    await waitFor(
      async () => !sockets(gw.pid!).includes(`socket:[${first.inode}]`) && (await healthy(h.port)),
      { what: 'the gateway listening again' },
    );
    expect((await h.check()).code).toBe(0);
    const second = h.state().lockListener as Remembered;
    expect(second).toMatchObject({ pid: gw.pid, startTicks: first.startTicks, port: h.port });
    expect(second.inode).not.toBe(first.inode);
    expect(sockets(gw.pid!)).toContain(`socket:[${second.inode}]`);
    expect(second.at).toBeGreaterThan(first.at);
    expect(h.eventNames()).not.toContain('port_conflict');
  });
});
