import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config/load.js';
import { observe } from '../../src/lib/observe.js';
import type { ProbeResult } from '../../src/lib/probe/types.js';
import { freshState } from '../../src/lib/store/state.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  server = null;
  removeTempDirs();
});

describe('observe', () => {
  it('healthy: no process walk; with `always` (status), the pid on the port and the table too', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const home = tempDir();
    const config = loadConfig({}, { HOME: home, OPENCLAW_GATEWAY_PORT: String(port) });
    const probe = { verdict: 'healthy', startup: null, reason: 'ok', ms: 1 } as ProbeResult;

    const cheap = await observe(config, probe, freshState(), Date.now());
    expect(cheap).toMatchObject({ portOwner: null, table: [], gateways: [] });

    const full = await observe(config, probe, freshState(), Date.now(), { always: true });
    expect(full.portOwner).toMatchObject({ pid: process.pid, gateway: false });
    expect(full.table.some((p) => p.pid === process.pid)).toBe(true);
    // A foreign listener (not gateway-titled) is not counted as the live gateway.
    expect(full.live).not.toContain(process.pid);
  });
});
