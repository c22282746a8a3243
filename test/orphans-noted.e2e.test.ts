import { afterEach, describe, expect, it } from 'vitest';
import { healthy } from './helpers/gateways.js';
import { isAlive, makeOrphans, startFakeGateway, waitFor } from './helpers/processes.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

describe('orphans nobody can attribute', () => {
  it('are reported once per process, not on every scan (issue 24 #6)', async () => {
    const h = await makeHome();
    // minAgeSec 0: every healthy check scans for orphans.
    h.configure({ ...FAST, orphans: { minAgeSec: 0, killTimeoutSec: 1 } });
    startFakeGateway(['--port', String(h.port)], { env: h.env });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    // HOME only, the same HOME: the default state dir or any profile of it; never reaped.
    const unattributed = { env: { ...h.env, OPENCLAW_GATEWAY_PORT: undefined } };
    const [first] = await makeOrphans(['openclaw-message'], unattributed);
    const found = () =>
      h.events().filter((e) => e.event === 'orphans_found' && e.reason === 'unattributed');
    for (let i = 0; i < 3; i++) expect((await h.check()).code).toBe(0);
    expect(found()).toHaveLength(1);
    expect(found()[0]).toMatchObject({ count: 1, pids: [first] });
    // A new one is reported (alone); the first is not said again.
    const [second] = await makeOrphans(['openclaw-message'], unattributed);
    for (let i = 0; i < 2; i++) expect((await h.check()).code).toBe(0);
    expect(found()).toHaveLength(2);
    expect(found()[1]).toMatchObject({ count: 1, pids: [second] });
    expect(isAlive(first!)).toBe(true);
    expect(isAlive(second!)).toBe(true);
  });
});
