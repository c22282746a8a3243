// Issue 19, item 4: an update replaces the installation under a running gateway; the gateway exits
// by itself (a clean planned_restart); the watchdog starts it again at the next check.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { healthy, listener } from './helpers/gateways.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';

afterEach(cleanUp);

/** The install's dist/build-info.json, as OpenClaw writes it. */
function buildInfo(h: Home, version: string, buildId: string): string {
  const file = join(h.home, 'install', 'dist', 'build-info.json');
  mkdirSync(join(h.home, 'install', 'dist'), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({ version, commit: 'c0ffee', builtAt: '2026-12-01', buildId }),
  );
  return file;
}

const named = (h: Home, name: string) => h.events().filter((e) => e.event === name);

/** A gateway started by hand (as a user does), watching its install, its lock in the state dir. */
async function userGateway(h: Home, file: string): Promise<number> {
  const args = ['--port', String(h.port), '--state-dir', h.stateDir, '--build-info', file];
  const pid = startFakeGateway(args, { env: h.own }).pid!;
  await waitFor(() => healthy(h.port), { what: 'gateway' });
  return pid;
}

describe('an update replaces the installation under the gateway', () => {
  it('started again at the next check: gateway_updated {from, to}, no gateway_down, no backoff step; a crash right after is restarted at once', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    const file = buildInfo(h, '2026.9.6', '2026.9.6-release-a');
    const old = await userGateway(h, file);
    expect((await h.check()).code).toBe(0);
    // `openclaw update` rewrites the package: the gateway notices, drains, records, exits 1.
    buildInfo(h, '2026.9.7', '2026.9.7-release-b');
    await waitFor(() => !isAlive(old), { what: 'the old gateway gone by itself' });
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('updating');
    expect(report.restart).toMatchObject({ result: 'healthy' });
    expect(named(h, 'gateway_updated')).toEqual([
      expect.objectContaining({
        from: '2026.9.6',
        to: '2026.9.7',
        result: 'healthy',
        level: 'info',
      }),
    ]);
    for (const e of ['gateway_down', 'gateway_restart', 'gateway_recovered', 'restart_deferred'])
      expect(named(h, e)).toEqual([]);
    expect(h.state().restarts).toMatchObject({ consecutive: 0, nextAllowedAt: null });
    // A crash of the new version right after: restarted at once (no backoff from the update).
    const now = listener(h.port)!;
    process.kill(now, 'SIGKILL');
    await waitFor(() => !isAlive(now), { what: 'the new gateway killed' });
    const again = JSON.parse((await h.check(['--json'])).stdout);
    expect(again.restart).toMatchObject({ result: 'healthy' });
    expect(named(h, 'gateway_down')).toHaveLength(1);
    expect(named(h, 'restart_deferred')).toEqual([]);
    expect(named(h, 'gateway_updated')).toHaveLength(1);
  });

  it('the new version will not start (exit 78, maintenance_required): one update_failed naming the update and what OpenClaw said, then the usual backoff', async () => {
    const h = await makeHome();
    const said =
      'Gateway failed to start: state migration required (gateway.maintenance_required); run openclaw doctor';
    h.configure(
      withFakeRestart(h.port, ['--crash-after', '0', '--exit-code', '78', '--print', said]),
    );
    const file = buildInfo(h, '2026.9.6', 'a');
    const old = await userGateway(h, file);
    expect((await h.check()).code).toBe(0);
    buildInfo(h, '2026.9.7', 'b');
    await waitFor(() => !isAlive(old), { what: 'the old gateway gone by itself' });
    expect((await h.check()).code).toBe(1);
    const failed = named(h, 'update_failed');
    expect(failed).toEqual([
      expect.objectContaining({ to: '2026.9.7', exitCode: 78, level: 'error' }),
    ]);
    expect(String(failed[0]!.output)).toContain('maintenance_required');
    expect(named(h, 'restart_failed')).toEqual([]);
    // Next checks: the usual rules under backoff; the update is not said again.
    for (let i = 0; i < 2; i++) await h.check();
    expect(named(h, 'update_failed')).toHaveLength(1);
    expect(
      named(h, 'gateway_restart').length + named(h, 'gateway_updated').length,
    ).toBeLessThanOrEqual(2);
    expect(named(h, 'restart_deferred').length).toBeGreaterThanOrEqual(1);
  });
});
