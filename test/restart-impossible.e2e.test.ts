import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { healthy, listener } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome, type Home } from './helpers/watchdog-home.js';

afterEach(cleanUp);

/** The fake gateway holds about 55 MiB idle; --rss-mb 200 puts it well above 120. */
const CEILING = { restartAboveMB: 120, warnAboveMB: 4000, sustainSec: 0, drainSec: 2 };
/** Cron's bare PATH: no openclaw on it (nor in the temp HOME's npm dirs). */
const CRON_PATH = '/usr/bin:/bin';

/** A serving gateway of this home (its lock in the state dir), above the memory ceiling. */
async function servingGateway(h: Home, port = h.port): Promise<number> {
  const args = ['--port', String(port), '--state-dir', h.stateDir, '--rss-mb', '200'];
  const pid = startFakeGateway(args, { env: h.own }).pid!;
  await waitFor(() => healthy(port), { what: 'gateway' });
  return pid;
}

const said = (h: Home, name: string) => h.events().filter((e) => e.event === name);

describe('a gateway that still serves is never stopped unless one can be started again', () => {
  it('memory over the ceiling, openclaw not on PATH, no restart.command, no unit: not stopped, restart_impossible once, degraded', async () => {
    const h = await makeHome();
    h.configure({ ...FAST, memory: CEILING });
    const pid = await servingGateway(h);
    const r = await h.check(['--json'], { PATH: CRON_PATH });
    const report = JSON.parse(r.stdout);
    // The serving gateway is still the one serving: nothing stopped it.
    expect(isAlive(pid)).toBe(true);
    expect(listener(h.port)).toBe(pid);
    expect(report.status).toBe('degraded');
    expect(r.code).toBe(1);
    expect(report.detail).toMatch(/restart impossible: openclaw not found/);
    expect(report.detail).toMatch(/fix: set restart.openclaw/);
    expect(h.eventNames()).toEqual(['memory_high', 'restart_impossible']);
    expect(said(h, 'restart_impossible')[0]).toMatchObject({ reason: 'memory', method: 'none' });
    // Said once; not counted as a restart (no backoff, no crash loop); still serving.
    const again = await h.check([], { PATH: CRON_PATH });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('');
    expect(said(h, 'restart_impossible')).toHaveLength(1);
    expect(said(h, 'gateway_stopped')).toEqual([]);
    expect(h.state().restarts).toMatchObject({ total: 0, consecutive: 0 });
    expect(listener(h.port)).toBe(pid);
  });

  it('an openclaw that does not run (`openclaw --version` fails on cron’s PATH): not stopped', async () => {
    const h = await makeHome();
    const bin = join(h.home, 'bin');
    mkdirSync(bin);
    // As a node-less cron PATH makes `#!/usr/bin/env node` fail.
    writeFileSync(
      join(bin, 'openclaw'),
      '#!/bin/sh\necho "env: node: No such file or directory" >&2\nexit 127\n',
    );
    chmodSync(join(bin, 'openclaw'), 0o755);
    h.configure({
      ...FAST,
      memory: CEILING,
      restart: { ...FAST.restart, openclaw: join(bin, 'openclaw') },
    });
    const pid = await servingGateway(h);
    const r = await h.check(['--json'], { PATH: CRON_PATH });
    expect(JSON.parse(r.stdout).detail).toMatch(
      /--version failed \(exit 127\): env: node: No such file/,
    );
    expect(listener(h.port)).toBe(pid);
    expect(said(h, 'restart_impossible')[0]).toMatchObject({ method: 'openclaw' });
  });

  it('a restart.command whose executable does not exist: not stopped', async () => {
    const h = await makeHome();
    const command = ['/nonexistent/openclaw-run.sh', 'gateway', 'run'];
    h.configure({ ...FAST, memory: CEILING, restart: { ...FAST.restart, command } });
    const pid = await servingGateway(h);
    const r = await h.check(['--json'], { PATH: CRON_PATH });
    expect(JSON.parse(r.stdout).detail).toMatch(
      /restart.command: \/nonexistent\/openclaw-run.sh is not an executable file/,
    );
    expect(listener(h.port)).toBe(pid);
  });

  it('nothing on our port, but the state dir’s lock names a live gateway on another port: no second gateway into that state dir', async () => {
    const h = await makeHome();
    h.configure({ ...FAST, restart: { ...FAST.restart, command: ['/bin/true'] } });
    const other = await freePort();
    const pid = await servingGateway(h, other);
    const r = await h.check(['--json']);
    const report = JSON.parse(r.stdout);
    expect(r.code).toBe(1);
    expect(report.restart).toBeUndefined();
    expect(report.detail).toContain(`names live pid ${pid}`);
    expect(report.detail).toContain(`set gateway.port ${other}`);
    expect(said(h, 'restart_impossible')[0]).toMatchObject({ method: 'lock', reason: 'crashed' });
    expect(said(h, 'gateway_restart')).toEqual([]);
    expect(isAlive(pid)).toBe(true);
  });
});
