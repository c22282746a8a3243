import { afterEach, describe, expect, it } from 'vitest';
import { readProc } from '../src/lib/procs/table.js';
import { healthy, listener } from './helpers/gateways.js';
import { answers } from './helpers/net.js';
import { MARK, isAlive, makeOrphans, startFakeGateway, waitFor } from './helpers/processes.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

/** A watchdog home whose restart.command starts its own gateway with its own state dir. */
async function gatewayHome(startupGraceSec = 60): Promise<Home> {
  const h = await makeHome();
  // A long startup grace: a gateway of this watchdog's that boots would be waited for.
  const probe = { ...FAST.probe, startupGraceSec };
  h.configure({
    ...withFakeRestart(h.port, ['--state-dir', h.stateDir], { probe }),
    orphans: { minAgeSec: 0, killTimeoutSec: 1 },
  });
  return h;
}

/** Starts a home's gateway as its user would: its own environment (HOME, port) and state dir. */
function startGateway(h: Home, flags: string[] = []): number {
  return startFakeGateway(['--port', String(h.port), '--state-dir', h.stateDir, ...flags], {
    env: h.env,
  }).pid!;
}

describe('several gateways of one user on one host', () => {
  it('killing one gets it back on the next check, while the other boots slowly; the other is untouched', async () => {
    const a = await gatewayHome();
    const b = await gatewayHome();
    const gwA = startGateway(a);
    await waitFor(() => healthy(a.port), { what: 'gateway a' });
    // b's gateway boots slowly: titled openclaw-gateway at once, listening only after 20 s.
    const gwB = startGateway(b, ['--listen-after', '20000']);
    await waitFor(() => readProc(gwB)?.title === 'openclaw-gateway', { what: 'b booting' });

    process.kill(gwA, 'SIGKILL');
    await waitFor(async () => !(await answers(a.port)), { what: 'a down' });
    const r = await a.check();
    expect(r.code).toBe(0);
    expect(await healthy(a.port)).toBe(true);
    expect(a.eventNames()).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
    expect(isAlive(gwB)).toBe(true);

    // b's own watchdog waits for its booting gateway, and leaves a's alone.
    const newA = listener(a.port)!;
    const rb = await b.check();
    expect(rb.code).toBe(0);
    expect(rb.stdout + rb.stderr).toBe('');
    expect(b.eventNames()).not.toContain('gateway_restart');
    expect(isAlive(gwB)).toBe(true);
    expect(isAlive(newA)).toBe(true);
  });

  it("another gateway's leftovers are never reaped: a stale gateway of another state dir, or one nobody can attribute", async () => {
    const a = await gatewayHome(0); // no grace: a stale gateway of a's is reaped at once
    const b = await gatewayHome();
    startGateway(a);
    await waitFor(() => healthy(a.port), { what: 'gateway a' });
    const [staleA] = await makeOrphans(['openclaw-gateway'], { env: a.env });
    const [staleB] = await makeOrphans(['openclaw-gateway'], { env: b.env });
    // No HOME, no port, no state dir: cannot be attributed either way.
    const [unknown] = await makeOrphans(['openclaw-gateway'], { env: { OCWD_TEST_MARK: MARK } });
    expect((await a.check()).code).toBe(0);
    expect(isAlive(staleA!)).toBe(false);
    expect(isAlive(staleB!)).toBe(true);
    expect(isAlive(unknown!)).toBe(true);
  });
});
