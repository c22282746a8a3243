import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/dirs.js';
import { healthy, listener } from './helpers/gateways.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { makeHome, withFakeRestart } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

describe('a healthy answer on our port from a gateway that is not ours', () => {
  it("another state dir's gateway on our port after ours died is a port_conflict, not healthy (issue 24 #1)", async () => {
    const h = await makeHome();
    // Our gateway writes its lock in our state dir, as OpenClaw does.
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    expect((await h.check()).code).toBe(0);
    const ours = await waitFor(() => listener(h.port), { what: 'our gateway' });
    process.kill(ours, 'SIGKILL');
    await waitFor(() => !isAlive(ours), { what: 'our gateway gone' });
    // Another state dir's gateway takes the port before the next check (its lock in its own dir).
    const otherDir = join(tempDir(), 'other-state');
    const other = startFakeGateway(['--port', String(h.port), '--state-dir', otherDir], {
      env: { ...h.env, OPENCLAW_STATE_DIR: otherDir },
    }).pid!;
    await waitFor(() => healthy(h.port), { what: 'the other gateway' });
    const before = h.events().length;
    const r = await h.check();
    const after = h.events().slice(before);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("another state dir's or profile's OpenClaw gateway");
    expect(after.map((e) => e.event)).not.toContain('gateway_recovered');
    expect(after.find((e) => e.event === 'port_conflict')).toMatchObject({
      pid: other,
      holder: 'other_gateway',
    });
    expect(h.state().lastVerdict).toBe('other-gateway');
    expect(isAlive(other)).toBe(true);
    // Said once per incident; never stopped.
    expect((await h.check()).code).toBe(1);
    expect(h.eventNames().filter((e) => e === 'port_conflict')).toHaveLength(1);
    expect(isAlive(other)).toBe(true);
  });

  it('our own gateway on the port, its lock valid, stays healthy (no conflict)', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    startFakeGateway(['--port', String(h.port), '--state-dir', h.stateDir], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'our gateway' });
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(h.eventNames()).not.toContain('port_conflict');
  });
});
