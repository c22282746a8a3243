import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restartLogPath } from '../src/lib/lifecycle/stop-marker.js';
import { closeReceivers, receiver } from './helpers/receiver.js';
import { healthy, listener } from './helpers/gateways.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';

afterEach(async () => {
  await closeReceivers();
  cleanUp();
});

const CEILING = { restartAboveMB: 120, warnAboveMB: 4000, sustainSec: 0, drainSec: 2 };
const UUID = '5f0c2e7a-1111-4222-8333-944455556666';

async function servingGateway(h: Home, flags: string[] = []): Promise<number> {
  const args = ['--port', String(h.port), '--state-dir', h.stateDir, ...flags];
  const pid = startFakeGateway(args, { env: h.own }).pid!;
  await waitFor(() => healthy(h.port), { what: 'gateway' });
  return pid;
}

describe('check --dry-run says what it would do (#20 item 7)', () => {
  it('a memory restart: "restart gracefully", whether a start is possible, and nothing changes', async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), memory: CEILING });
    const pid = await servingGateway(h, ['--rss-mb', '200']);
    const r = await h.check(['--dry-run']);
    expect(r.code).toBe(1);
    const [decision, would, start] = r.stdout.split('\n');
    expect(decision).toMatch(/^degraded: gateway tree RSS \d+ MiB above 120 MiB/);
    expect(would).toBe(
      `would: restart gracefully (memory): gateway pid ${pid} in place (gateway.restart.request) when its lock and token allow, else SIGTERM with 2 s to drain, then start it again; only if a start is possible`,
    );
    expect(start).toMatch(/^start: possible \(command: \/.*node\)$/);
    expect(h.events()).toEqual([]);
    expect(listener(h.port)).toBe(pid);
  });

  it('no start possible: the dry run says so and that nothing would be stopped', async () => {
    const h = await makeHome();
    h.configure({ ...FAST, memory: CEILING });
    await servingGateway(h, ['--rss-mb', '200']);
    const r = await h.check(['--dry-run'], { PATH: '/usr/bin:/bin' });
    expect(r.stdout).toMatch(
      /\nstart: impossible, so nothing would be stopped: openclaw not found .*; fix: set restart.openclaw/,
    );
  });
});

describe('the failure, not the symptom (#20 item 11)', () => {
  it('a restart that exits 78 "Missing config": the line and the alert say so, with the fix', async () => {
    const hook = await receiver();
    const h = await makeHome();
    // As the real gateway: the error is its last line (it never listens).
    const flags = [
      '--listen-after',
      '5000',
      '--crash-after',
      '0',
      '--exit-code',
      '78',
      '--print',
      'Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured).',
    ];
    h.configure(withFakeRestart(h.port, flags, { notify: { webhooks: [{ url: hook.url }] } }));
    const r = await h.check();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'openclaw-watchdog: down: nothing listens on the port; restart failed (command): exit 78: Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured).\n',
    );
    const failed = h.events().find((e) => e.event === 'restart_failed')!;
    expect(String(failed.hint)).toMatch(/--allow-unconfigured.*set restart.command/);
    const alert = hook.requests.find(
      (q) => (q.body as { event?: string }).event === 'restart_failed',
    )!.body as { message: string };
    expect(alert.message).toMatch(/: restart failed \(command\): exit 78: Missing config\./);
    expect(alert.message).toContain('fix: exit 78: openclaw.json has no gateway.mode');
  });

  it('openclaw not found: the line names it and the fix', async () => {
    const h = await makeHome(FAST);
    const r = await h.check([], { PATH: '/usr/bin:/bin' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^openclaw-watchdog: down: nothing listens on the port; restart failed \(none\): openclaw not found .*; set restart.openclaw or restart.command\n$/,
    );
  });

  it('a gateway that crashes at once: its exit code and last line', async () => {
    const h = await makeHome();
    // As the real gateway: the error is its last line (it never listens).
    const flags = [
      '--listen-after',
      '5000',
      '--crash-after',
      '0',
      '--exit-code',
      '1',
      '--print',
      'boom: cannot load plugin x',
    ];
    h.configure(withFakeRestart(h.port, flags));
    const r = await h.check();
    expect(r.stderr).toBe(
      'openclaw-watchdog: down: nothing listens on the port; restart failed (command): exit 1: boom: cannot load plugin x\n',
    );
  });
});

describe('quiet and honest under cron (#20 item 13)', () => {
  it('a crash fixed by a restart prints one line; the healthy and the backoff-held checks print nothing', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port));
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^openclaw-watchdog: down: nothing listens on the port; restarted \(command, pid \d+\), healthy after [\d.]+ s\n$/,
    );
    expect(await h.check()).toMatchObject({ code: 0, stdout: '', stderr: '' });
    // Crashed again at once: backoff holds the second restart (60 s); the held check is silent.
    process.kill(listener(h.port)!, 'SIGKILL');
    await waitFor(() => listener(h.port) === null, { what: 'crash' });
    const held = await h.check();
    expect(held).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect(h.eventNames()).toContain('restart_deferred');
  });

  it('stopped on purpose: the heartbeat pings as alive with the reason, not /fail', async () => {
    const hc = await receiver();
    const url = `${new URL(hc.url).origin}/ping/${UUID}`;
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, [], { notify: { heartbeat: { url } } }));
    const pid = await servingGateway(h);
    expect((await h.check()).code).toBe(0);
    mkdirSync(join(h.stateDir, 'logs'), { recursive: true });
    appendFileSync(
      restartLogPath(h.stateDir),
      `[${new Date().toISOString()}] openclaw gateway lifecycle source=cli action=stop mode=sigterm pid=${pid} interactive=0\n`,
    );
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !isAlive(pid), { what: 'stopped' });
    expect(await h.check()).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(hc.requests.map((q) => q.path)).toEqual([`/ping/${UUID}`, `/ping/${UUID}`]);
    expect(String(hc.requests[1]!.body)).toMatch(/exit 0: stopped: stopped by the user at /);
  });
});
