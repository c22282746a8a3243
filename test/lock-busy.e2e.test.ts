import { afterEach, describe, expect, it } from 'vitest';
import { acquireCheckLock } from '../src/lib/store/lock.js';
import { removeTempDirs } from './helpers/dirs.js';
import { killTracked } from './helpers/processes.js';
import { startReceiver, closeReceivers, keepReceiver } from './helpers/receiver.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';

afterEach(async () => {
  killTracked();
  await closeReceivers();
  removeTempDirs();
});
const UUID = '5f0c2e7a-1111-4222-8333-944455556666';

describe('a check that finds the lock busy', () => {
  it('held by a live check (a graceful restart under way): exit 75, and the heartbeat pinged as alive', async () => {
    const hc = await startReceiver();
    keepReceiver(hc);
    const h = await makeHome();
    const url = `${new URL(hc.url).origin}/ping/${UUID}`;
    // The check's lock.staleSec as long as the holder's: with a short one (2 s) a check that
    // reached the lock 2 s after the holder took it (a loaded host) took it over (exit 1, not 75).
    h.configure({ ...FAST, lock: { staleSec: 30 }, notify: { heartbeat: { url } } });
    // A live holder: it refreshes the lock (what a check waiting on a graceful restart does).
    const holder = await acquireCheckLock(h.dir, 30);
    expect(holder).not.toBeNull();
    try {
      const r = await h.check();
      expect(r.code).toBe(75);
      expect(hc.requests.map((q) => `${q.method} ${q.path}`)).toEqual([`POST /ping/${UUID}`]);
      expect(String(hc.requests[0]!.body)).toMatch(/exit 0: busy: another check holds the lock/);
    } finally {
      await holder!.release();
    }
    expect(h.eventNames()).toEqual(['lock_busy']);
  });

  it('without a heartbeat: exit 75, lock_busy, nothing sent', async () => {
    const h = await makeHome({ ...FAST, lock: { staleSec: 30 } }); // as above
    const holder = await acquireCheckLock(h.dir, 30);
    try {
      expect((await h.check()).code).toBe(75);
    } finally {
      await holder!.release();
    }
    expect(h.eventNames()).toEqual(['lock_busy']);
  });
});
