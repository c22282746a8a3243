import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { healthy } from './helpers/gateways.js';
import { gatewayLockPath } from '../src/lib/procs/gateway-lock.js';
import { readStartTicks } from '../src/lib/procs/table.js';
import { startCli } from './helpers/cli.js';
import { HELPER, isAlive, start, startFakeGateway, waitFor } from './helpers/processes.js';
import {
  answer,
  configureEscalation,
  REQUEST,
  requests,
  scriptedFlags,
} from './helpers/channel-down.js';
import { cleanUp } from './helpers/teardown.js';
import { makeHome, type Home } from './helpers/watchdog-home.js';

afterEach(cleanUp);

const TOKEN = 'tok-in-place-supervised-0123456789ab';
/** gateway.restart.request is accepted (`scheduled`) but the fake does not restart itself: the
 * test plays what OpenClaw does under a supervisor. */
const SCHEDULED = { ok: true, payload: { ok: true, status: 'scheduled' } };

type Saved = {
  restarts: { total: number; consecutive: number; nextAllowedAt: number | null };
  spawned: { pid: number | null; method: string } | null;
};

/**
 * A gateway of ours whose channel stays down (the first check restarts the account alone), then
 * the check that escalates to the in-place restart, caught once its request was sent.
 */
async function escalated(h: Home) {
  const flags = scriptedFlags(h, TOKEN);
  configureEscalation(h, flags, TOKEN, { stopTimeoutSec: 1, verifyTimeoutSec: 3 });
  answer(h, SCHEDULED);
  const gw = startFakeGateway(['--port', String(h.port), ...flags], { env: h.own });
  await waitFor(() => healthy(h.port), { what: 'fake gateway' });
  expect((await h.check()).code).toBe(1); // channel_down, channel_restart (the account alone)
  const run = startCli(['check'], h.env);
  await waitFor(() => requests(h).length > 0, { what: `${REQUEST} sent`, timeoutMs: 30_000 });
  // Under systemd markers (or OPENCLAW_SUPERVISOR_MODE=external) OpenClaw answers the request,
  // then exits 0: "full process restart (supervisor restart)" (§5).
  gw.kill('SIGTERM');
  await waitFor(() => !isAlive(gw.pid!), { what: 'the old gateway gone' });
  return { flags, run };
}

describe('an accepted in-place restart that OpenClaw carries out as a supervised restart', () => {
  it('the gateway exits and its supervisor starts the next one, still booting after the wait: that restart is followed, never restart_impossible, the backoff step kept', async () => {
    const h = await makeHome();
    const { flags, run } = await escalated(h);
    // Restart=always starts the next gateway: it takes the state lock at once and still boots
    // when the watchdog's wait ends.
    const next = startFakeGateway(['--port', String(h.port), ...flags, '--ready-after', '600000'], {
      env: h.own,
    });
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
    const names = h.eventNames();
    expect(names.filter((e) => e === 'gateway_restart')).toHaveLength(1);
    // The supervisor's gateway is the restart asked for: not "a second gateway would exit 78,
    // stop pid N" (old code: restart_impossible naming the new gateway, an alert).
    expect(names).not.toContain('restart_impossible');
    const state = h.state() as Saved;
    // The accepted request was a restart: its backoff step stays (old code: undone).
    expect(state.restarts).toMatchObject({ total: 1, consecutive: 1 });
    expect(state.restarts.nextAllowedAt).toBeGreaterThan(Date.now());
    expect(state.spawned).toMatchObject({ pid: next.pid, method: 'rpc' });
    expect(isAlive(next.pid!)).toBe(true);
  });

  it('the gateway exits and doctor takes the state lock instead: never followed as the restarted gateway (no start over it: restart_impossible, let it finish)', async () => {
    const h = await makeHome();
    const { run } = await escalated(h);
    // Doctor at its SQLite work (§11): a process of ours holding the lock with a role.
    const doctor = start(process.execPath, [HELPER, 'openclaw-doctor'], { env: h.own });
    writeFileSync(
      gatewayLockPath(h.stateDir, process.getuid!()),
      JSON.stringify({
        pid: doctor.pid,
        startTime: readStartTicks(doctor.pid!),
        role: 'sqlite-maintenance',
      }),
    );
    expect((await run.exited).code).toBe(1);
    const state = h.state() as Saved;
    expect(state.spawned?.pid).not.toBe(doctor.pid);
    expect(h.events().find((e) => e.event === 'restart_impossible')).toMatchObject({
      error: expect.stringContaining('sqlite-maintenance'),
    });
    expect(isAlive(doctor.pid!)).toBe(true);
  });
});
