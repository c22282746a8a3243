import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProc } from '../src/lib/procs/table.js';
import { descendants } from '../src/lib/procs/tree.js';
import { listProcesses } from '../src/lib/procs/table.js';
import { tempDir } from './helpers/dirs.js';
import { healthy, listener } from './helpers/gateways.js';
import { answers, freePort } from './helpers/net.js';
import { isAlive, makeOrphans, start, startFakeGateway, waitFor } from './helpers/processes.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

/** restart.command starts the fake gateway; no backoff, so that every check may restart. */
const noBackoff = (port: number, extra: Record<string, unknown> = {}) => {
  const settings = withFakeRestart(port, [], { orphans: { action: 'report' }, ...extra });
  return { ...settings, restart: { ...settings.restart, baseDelaySec: 0 } };
};

/** Checks (bounded) until `done` holds after one; every check must exit without a stack trace. */
async function checkUntil(h: Home, done: () => boolean | Promise<boolean>): Promise<void> {
  await waitFor(
    async () => {
      const r = await h.check();
      expect(r.stderr).not.toMatch(/\n\s+at /);
      return done();
    },
    { what: 'the checks to act', timeoutMs: 30_000, intervalMs: 300 },
  );
}

const stoppedPids = (h: Home) =>
  h
    .events()
    .filter((e) => e.event === 'gateway_stopped')
    .flatMap((e) => e.pids as number[]);

describe('attribution: only this watchdog gateway is ever stopped or reaped', () => {
  it('a hung gateway of another state dir holding our port is a port conflict, never stopped (defect 1)', async () => {
    const h = await makeHome();
    h.configure(noBackoff(h.port));
    const other = join(tempDir(), 'other-state');
    const gw = startFakeGateway(['--port', String(h.port), '--hang-after', '1500'], {
      env: { ...h.env, OPENCLAW_STATE_DIR: other },
    }).pid!;
    // Listening and no longer healthy: hung (however late a loaded machine looks first).
    await waitFor(async () => listener(h.port) === gw && !(await healthy(h.port)), {
      what: 'other gateway hung',
    });
    const t0 = Date.now();
    // Past probe.hungAfterSec (1 s): the old code stopped it as "ours" by now.
    await checkUntil(
      h,
      () =>
        h.eventNames().includes('gateway_stopped') ||
        (Date.now() - t0 > 1500 && h.eventNames().includes('port_conflict')),
    );
    expect(isAlive(gw)).toBe(true);
    expect(h.eventNames()).not.toContain('gateway_stopped');
    expect(h.eventNames()).not.toContain('gateway_restart');
    expect(h.events().find((e) => e.event === 'port_conflict')).toMatchObject({
      pid: gw,
      holder: 'other_gateway',
    });
    // Said once (the check's line too: check-line.ts); the checks after it still say it in --json.
    const r = await h.check(['--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).detail).toContain(
      "another state dir's or profile's OpenClaw gateway",
    );
  });

  it('the port a gateway listens on beats an inherited OPENCLAW_GATEWAY_PORT (defect 2)', async () => {
    const h = await makeHome();
    h.configure(noBackoff(h.port));
    const ours = startFakeGateway(['--port', String(h.port), '--hang-after', '1500'], {
      env: h.env,
    }).pid!;
    // Same HOME, same exported OPENCLAW_GATEWAY_PORT (ours), but started with --port Q: argv is
    // overwritten by its title, so only the socket it listens on tells.
    const q = await freePort();
    const other = startFakeGateway(['--port', String(q)], { env: h.env }).pid!;
    await waitFor(() => healthy(q), { what: 'other gateway' });
    await waitFor(async () => (await healthy(h.port)) === false && listener(h.port) === ours, {
      what: 'our gateway hung',
    });
    await checkUntil(h, () => stoppedPids(h).includes(ours));
    await waitFor(() => healthy(h.port), { what: 'ours replaced' });
    expect(isAlive(ours)).toBe(false);
    expect(isAlive(other)).toBe(true);
    expect(stoppedPids(h)).not.toContain(other);
    expect(await healthy(q)).toBe(true);
  });

  it("orphan reaping attributes every helper: another profile's or HOME's is never reaped, one nobody can attribute is reported (defect 3)", async () => {
    const h = await makeHome();
    h.configure({ ...FAST, orphans: { minAgeSec: 0, killTimeoutSec: 1 } });
    startFakeGateway(['--port', String(h.port)], { env: h.env });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    // Helpers carry the environment of the gateway that started them.
    const [mine] = await makeOrphans(['openclaw-agent'], {
      env: { ...h.env, OPENCLAW_STATE_DIR: h.stateDir },
    });
    const [otherProfile] = await makeOrphans(['openclaw-agent'], {
      env: { ...h.env, OPENCLAW_PROFILE: 'other', OPENCLAW_STATE_DIR: `${h.stateDir}-other` },
    });
    const otherHome = tempDir();
    const [otherHomes] = await makeOrphans(['openclaw-message'], {
      env: { ...h.env, HOME: otherHome, OPENCLAW_GATEWAY_PORT: undefined },
    });
    // HOME only, the same HOME: the default or any profile of it; cannot be attributed.
    const [unknown] = await makeOrphans(['openclaw-message'], {
      env: { ...h.env, OPENCLAW_GATEWAY_PORT: undefined },
    });
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(isAlive(mine!)).toBe(false);
    for (const pid of [otherProfile!, otherHomes!, unknown!]) expect(isAlive(pid)).toBe(true);
    expect(h.events().find((e) => e.event === 'orphans_reaped')).toMatchObject({
      count: 1,
      pids: [mine],
    });
    expect(h.events().find((e) => e.event === 'orphans_found')).toMatchObject({
      reason: 'unattributed',
      pids: [unknown],
    });
  });

  for (const child of ['openclaw-gateway', 'openclaw']) {
    it(`a hung gateway of ours with a child titled ${child} is still stopped (defect 6)`, async () => {
      const h = await makeHome();
      h.configure(noBackoff(h.port));
      const hung = startFakeGateway(
        ['--port', String(h.port), '--hang-after', '1500', '--children', child],
        // Started as `openclaw gateway run` shows: HOME only. Its child cannot be attributed.
        { env: { ...h.env, OPENCLAW_GATEWAY_PORT: undefined } },
      ).pid!;
      const kids = await waitFor(
        async () => {
          const k = descendants(hung, await listProcesses()).filter((p) => p.title === child);
          return k.length ? k.map((p) => p.pid) : null;
        },
        { what: 'child' },
      );
      await waitFor(async () => listener(h.port) === hung && !(await healthy(h.port)), {
        what: 'hung',
      });
      await checkUntil(h, () => stoppedPids(h).includes(hung));
      await waitFor(() => healthy(h.port), { what: 'replaced' });
      expect(isAlive(hung)).toBe(false);
      for (const pid of kids) expect(isAlive(pid)).toBe(false);
      expect(h.eventNames()).not.toContain('restart_failed');
    });
  }

  it('a young `openclaw` CLI process of the same user never delays a restart (defect 7)', async () => {
    const h = await makeHome();
    // A long startup grace: a gateway of ours that boots would be waited for.
    h.configure(noBackoff(h.port, { probe: { ...FAST.probe, startupGraceSec: 60 } }));
    const cli = start(
      process.execPath,
      ['-e', 'process.title = "openclaw"; setInterval(() => {}, 1 << 30)'],
      { env: h.env },
    ).pid!;
    await waitFor(() => readProc(cli)?.title === 'openclaw', { what: 'cli title' });
    expect(await answers(h.port)).toBe(false);
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart', 'gateway_recovered']);
    expect(await healthy(h.port)).toBe(true);
    expect(isAlive(cli)).toBe(true);
  });

  it('a symlinked state dir is the same dir: our booting gateway (its database open) is waited for (defect 9)', async () => {
    const h = await makeHome();
    const real = join(h.home, 'disk2', 'openclaw');
    mkdirSync(join(h.home, 'disk2'));
    renameSync(h.stateDir, real);
    symlinkSync(real, h.stateDir);
    h.configure(noBackoff(h.port, { probe: { ...FAST.probe, startupGraceSec: 60 } }));
    mkdirSync(join(h.stateDir, 'state'));
    const db = join(h.stateDir, 'state', 'openclaw.sqlite');
    writeFileSync(db, '');
    // Booting: titled openclaw-gateway, HOME only, not listening yet, its database open.
    const booting = start(
      process.execPath,
      [
        '-e',
        'globalThis.fd = require("fs").openSync(process.argv[1], "r+"); process.title = "openclaw-gateway"; setInterval(() => {}, 1 << 30)',
        db,
      ],
      { env: { ...h.env, OPENCLAW_GATEWAY_PORT: undefined } },
    ).pid!;
    await waitFor(() => readProc(booting)?.title === 'openclaw-gateway', { what: 'booting' });
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(h.eventNames()).not.toContain('gateway_restart');
    expect(h.events().find((e) => e.event === 'waiting')).toMatchObject({ reason: 'booting' });
    expect(isAlive(booting)).toBe(true);
  });
});
