import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { healthy, listener } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { ROOT, isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';

afterEach(cleanUp);

describe('zero config, the port only on the gateway’s command line (#20 item 9)', () => {
  it('`gateway run --port P`, no gateway.port anywhere: the lock names P; healthy, nothing started; after a crash restarted on P', async () => {
    const h = await makeHome(FAST);
    const port = await freePort();
    // Cron's environment: no OPENCLAW_GATEWAY_PORT, openclaw.json without gateway.port.
    const env: NodeJS.ProcessEnv = { ...h.env, PATH: '/usr/bin:/bin' };
    delete env.OPENCLAW_GATEWAY_PORT;
    const bin = join(h.home, '.npm-global', 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(join(ROOT, 'test', 'fixtures', 'openclaw-cli.mjs'), join(bin, 'openclaw'));
    const own = { ...env, OPENCLAW_STATE_DIR: h.stateDir };
    const gw = startFakeGateway(['--port', String(port), '--state-dir', h.stateDir], { env: own });
    await waitFor(() => healthy(port), { what: 'gateway' });

    const r = await runCli(['check', '--json'], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('healthy');
    expect(report.restart).toBeUndefined();
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout);
    expect(status.gateway).toMatchObject({ port, pid: gw.pid });

    // A crash leaves its lock: the next check restarts it on the same port.
    process.kill(gw.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(gw.pid!), { what: 'crash' });
    const argsFile = join(h.home, 'args.json');
    const again = await runCli(['check', '--json'], { ...env, FAKE_OPENCLAW_ARGS_FILE: argsFile });
    expect(JSON.parse(again.stdout).restart).toMatchObject({ result: 'healthy' });
    expect(JSON.parse(readFileSync(argsFile, 'utf8')).slice(0, 4)).toEqual([
      'gateway',
      'run',
      '--port',
      String(port),
    ]);
    expect(listener(port)).not.toBeNull();
  });
});
