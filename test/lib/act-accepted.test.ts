import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { act } from '../../src/lib/act.js';
import { loadConfig } from '../../src/lib/config/load.js';
import type { Observed } from '../../src/lib/observe.js';
import { gatewayLockPath } from '../../src/lib/procs/gateway-lock.js';
import { readStartTicks } from '../../src/lib/procs/table.js';
import { freshState, type State } from '../../src/lib/store/state.js';
import { healthy } from '../helpers/gateways.js';
import { HELPER, isAlive, start, startFakeGateway, waitFor } from '../helpers/processes.js';
import { cleanUp } from '../helpers/teardown.js';
import { makeHome, withFakeRestart } from '../helpers/watchdog-home.js';

afterEach(cleanUp);

const TOKEN = 'tok-act-accepted-0123456789abcdef';

describe('act: an accepted in-place restart, then no start possible', () => {
  it('keeps the restart it asked for (its backoff step) when doctor took the state lock before the fallback start', async () => {
    const h = await makeHome();
    const control = join(h.dir, '..', 'control.json');
    // OpenClaw accepts the request but keeps deferring it (work active), even with skipDeferral.
    const deferred = { ok: true, payload: { ok: true, status: 'deferred' } };
    writeFileSync(control, JSON.stringify({ rpc: { 'gateway.restart.request': deferred } }));
    const flags = ['--token', TOKEN, '--state-dir', h.stateDir, '--control', control];
    const fake = withFakeRestart(h.port, flags);
    h.configure({
      ...fake,
      restart: { ...fake.restart, stopTimeoutSec: 1, verifyTimeoutSec: 1 },
      gateway: { token: TOKEN },
    });
    const gw = startFakeGateway(['--port', String(h.port), ...flags], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'fake gateway' });
    // Doctor's stand-in: a live process of ours that takes the lock once the gateway is gone.
    const doctor = start(process.execPath, [HELPER, 'openclaw-doctor'], { env: h.own });
    const lock = gatewayLockPath(h.stateDir, process.getuid!());
    const doctorLock = () =>
      writeFileSync(
        lock,
        JSON.stringify({
          pid: doctor.pid,
          startTime: readStartTicks(doctor.pid!),
          role: 'sqlite-maintenance',
        }),
      );
    const config = loadConfig({}, h.env);
    const target = { pid: gw.pid!, startTicks: readStartTicks(gw.pid!) };
    const before = { restarts: freshState().restarts, crashLoopNotified: false, healthySince: 1 };
    // The decision took the backoff step (decide/liveness/backoff.ts).
    const decided: State = {
      ...freshState(),
      restarts: {
        ...freshState().restarts,
        total: 1,
        consecutive: 1,
        lastAt: 2,
        nextAllowedAt: 9e12,
      },
    };
    let planted = false;
    const done = await act(
      config,
      [{ type: 'graceful-restart', reason: 'channel', target, drainSec: 1, probeTimeoutMs: 600 }],
      decided,
      {
        obs: { live: [gw.pid], gateways: [] } as unknown as Observed,
        now: Date.now,
        say: () => {},
        before,
        // Asked right before the fallback start too: the gateway is gone then, doctor begins.
        stillOwner: () => {
          if (!planted && !isAlive(gw.pid!)) {
            doctorLock();
            planted = true;
          }
          return true;
        },
      },
    );
    expect(planted).toBe(true);
    const names = done.events.map((e) => e.event);
    expect(names).toEqual(['gateway_restart', 'gateway_stopped', 'restart_impossible']);
    // The request was accepted and the gateway stopped: a restart happened and counts (old code:
    // the bookkeeping from before the decision, as if nothing had been stopped or started).
    expect(done.state.restarts).toMatchObject({ total: 1, consecutive: 1 });
    expect(done.state.restarts.nextAllowedAt).toBeGreaterThan(Date.now());
  });
});
