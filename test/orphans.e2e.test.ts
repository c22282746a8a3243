import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProc } from '../src/lib/procs/table.js';
import { descendants } from '../src/lib/procs/tree.js';
import { listProcesses } from '../src/lib/procs/table.js';
import { listener, healthy } from './helpers/gateways.js';
import {
  HELPER,
  isAlive,
  makeOrphans,
  start,
  startFakeGateway,
  waitFor,
} from './helpers/processes.js';
import { makeHome, withFakeRestart } from './helpers/watchdog-home.js';
import { runCli } from './helpers/cli.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

const settings = (port: number, orphans: Record<string, unknown> = {}) =>
  withFakeRestart(port, ['--children', 'openclaw-completion'], {
    orphans: { killTimeoutSec: 1, ...orphans },
  });

/**
 * A healthy gateway of ours, and two parentless processes of its environment: `doctor`
 * (`openclaw-doctor`, named by OpenClaw's lifecycle lock with doctor's role, as its SQLite work
 * writes it) and `helper` (`openclaw-message`, a leaked helper).
 */
async function doctorOrphaned() {
  const h = await makeHome();
  h.configure(settings(h.port, { minAgeSec: 1 }));
  startFakeGateway(['--port', String(h.port)], { env: h.own });
  await waitFor(() => healthy(h.port), { what: 'gateway' });
  const [doctor, helper] = [
    ...(await makeOrphans(['openclaw-doctor'], { env: h.own })),
    ...(await makeOrphans(['openclaw-message'], { env: h.own })),
  ];
  const lockDir = join(h.stateDir, 'tmp', `openclaw-${process.getuid!()}`);
  mkdirSync(lockDir, { recursive: true });
  writeFileSync(
    join(lockDir, 'gateway.state.lock'),
    JSON.stringify({
      pid: doctor,
      createdAt: new Date().toISOString(),
      stateDir: h.stateDir,
      role: 'sqlite-maintenance',
      startTime: readProc(doctor!)!.startTicks,
    }),
  );
  return { h, doctor: doctor!, helper: helper! };
}

describe('orphans: real processes', () => {
  it('a crashed gateway leaves helpers behind → all reaped before the restart, whatever their age', async () => {
    const h = await makeHome();
    h.configure(settings(h.port));
    const gw = startFakeGateway(
      ['--port', String(h.port), '--children', 'openclaw-message,openclaw-hooks'],
      { env: h.own },
    );
    const kids = await waitFor(
      async () => {
        const k = descendants(gw.pid!, await listProcesses()).filter((p) =>
          p.title.startsWith('openclaw-'),
        );
        return k.length === 2 ? k.map((p) => p.pid) : null;
      },
      { what: 'helpers' },
    );
    // The "gateway" dies by SIGKILL; its parent (this test) is alive, so only its helpers are orphans.
    process.kill(gw.pid!, 'SIGKILL');
    await waitFor(() => kids.every((pid) => readProc(pid)?.ppid !== gw.pid), {
      what: 'helpers adopted by init',
    });
    const r = await h.check();
    expect(r.code).toBe(0);
    for (const pid of kids) expect(isAlive(pid)).toBe(false);
    const reaped = h.events().find((e) => e.event === 'orphans_reaped')!;
    expect(reaped).toMatchObject({ count: 2 });
    expect(new Set(reaped.pids as number[])).toEqual(new Set(kids));
    expect((reaped.names as string[]).sort()).toEqual(['openclaw-hooks', 'openclaw-message']);
    expect(reaped.rssBytes).toBeGreaterThan(10 << 20);
    expect(h.eventNames().indexOf('orphans_reaped')).toBeLessThan(
      h.eventNames().indexOf('gateway_restart'),
    );
    expect(await healthy(h.port)).toBe(true);
  });

  it('decoys survive: live parent, name only in arguments, the live gateway and its children, another user', async () => {
    const h = await makeHome();
    h.configure(settings(h.port, { minAgeSec: 0 }));
    // The live gateway, started by a check: parentless once the check exits, with a helper child.
    expect((await h.check()).code).toBe(0);
    const gateway = listener(h.port)!;
    const gatewayKids = await waitFor(
      async () => {
        const k = descendants(gateway, await listProcesses()).map((p) => p.pid);
        return k.length ? k : null;
      },
      { what: 'gateway helper' },
    );
    expect(readProc(gateway)?.ppid).not.toBe(process.pid);
    const withParent = start(process.execPath, [HELPER, 'openclaw-message']).pid!;
    // Every decoy carries this home's environment: it is spared by its own rule, not attribution.
    const [argsOnly] = await makeOrphans(['--plain', 'openclaw-message.log'], { env: h.own });
    const [real] = await makeOrphans(['openclaw-message'], { env: h.own });
    const asRoot = process.getuid?.() === 0;
    const [foreign] = asRoot
      ? await makeOrphans(['openclaw-message'], { uid: 65534, gid: 65534, env: h.own })
      : [undefined];
    await waitFor(() => readProc(withParent)?.title === 'openclaw-message', {
      what: 'decoy title',
    });

    const r = await h.check();
    expect(r.code).toBe(0);
    expect(isAlive(real!)).toBe(false);
    for (const pid of [withParent, argsOnly!, gateway, ...gatewayKids])
      expect(isAlive(pid)).toBe(true);
    if (foreign !== undefined) {
      expect(readProc(foreign)?.uid).toBe(65534);
      expect(isAlive(foreign)).toBe(true);
    }
    expect(h.events().find((e) => e.event === 'orphans_reaped')).toMatchObject({
      count: 1,
      pids: [real],
    });
  });

  it('while healthy only orphans older than orphans.minAgeSec go; a SIGTERM-ignoring one gets SIGKILL', async () => {
    const h = await makeHome();
    // The young orphan must still be younger than minAgeSec when the check lists processes: a
    // check's start takes 1.4 s on an idle 2-core host, 7.6 s under load (measured), so not 2 s
    // (and twice that, for margin).
    h.configure(settings(h.port, { minAgeSec: 15 }));
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const [old] = await makeOrphans(['openclaw-message', '--ignore-term'], { env: h.own });
    await waitFor(() => (readProc(old!)?.ageSec ?? 0) >= 15.2, {
      what: 'old orphan',
      timeoutMs: 30_000,
    });
    const [young] = await makeOrphans(['openclaw-message'], { env: h.own });
    expect((await h.check()).code).toBe(0);
    expect(isAlive(old!)).toBe(false);
    expect(isAlive(young!)).toBe(true);
    expect(h.events().find((e) => e.event === 'orphans_reaped')).toMatchObject({
      count: 1,
      pids: [old],
      killed: [old],
    });
    expect(h.state()).toMatchObject({ orphansReapedTotal: 1 });
  });

  it("doctor at its SQLite work, parentless (an openclaw-doctor matches openclaw-*), is never reaped while OpenClaw's lifecycle lock names it; the other old orphan goes", async () => {
    const { h, doctor, helper } = await doctorOrphaned();
    await waitFor(() => (readProc(helper!)?.ageSec ?? 0) >= 1.2, { what: 'old orphans' });
    expect((await h.check()).code).toBe(0);
    expect(isAlive(helper)).toBe(false);
    expect(isAlive(doctor)).toBe(true);
    expect(h.events().find((e) => e.event === 'orphans_reaped')).toMatchObject({
      pids: [helper],
    });
  });

  it("status lists no orphan the check would keep: doctor, parentless, named by OpenClaw's lifecycle lock", async () => {
    const { h, helper } = await doctorOrphaned();
    const status = await runCli(['status', '--json'], h.env);
    const { orphans } = JSON.parse(status.stdout) as { orphans: { list: { pid: number }[] } };
    // Old code: doctor listed too, an orphan the check never reaps.
    expect(orphans.list.map((o) => o.pid)).toEqual([helper]);
  });

  it('a stale openclaw-gateway with no port is an orphan; one holding a port (another profile) is not', async () => {
    const h = await makeHome();
    h.configure(settings(h.port, { minAgeSec: 0 }));
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    // A stale gateway of this watchdog's (its environment names this port and HOME).
    const [stale] = await makeOrphans(['openclaw-gateway'], { env: h.env });
    const [otherProfile] = await makeOrphans(['openclaw-gateway', '--listen']);
    expect((await h.check()).code).toBe(0);
    expect(isAlive(stale!)).toBe(false);
    expect(isAlive(otherProfile!)).toBe(true);
  });

  it('orphans.action "report" and --dry-run only report', async () => {
    const h = await makeHome();
    h.configure(settings(h.port, { minAgeSec: 0, action: 'report' }));
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const [orphan] = await makeOrphans(['openclaw-message'], { env: h.own });
    const dry = await h.check(['--dry-run']);
    expect(dry.stdout).toContain(`reap 1 orphan(s): ${orphan} openclaw-message`);
    expect((await h.check()).code).toBe(0);
    expect(isAlive(orphan!)).toBe(true);
    const found = h.events().find((e) => e.event === 'orphans_found')!;
    expect(found).toMatchObject({ count: 1, pids: [orphan], names: ['openclaw-message'] });
    expect(JSON.stringify(h.events())).not.toContain('setInterval');
  });
});
