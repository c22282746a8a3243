import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCli } from './helpers/cli.js';
import { afterEach, describe, expect, it } from 'vitest';
import { healthy } from './helpers/gateways.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
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

const TOKEN = 'tok-in-place-killed-0123456789abcdef';
/**
 * A gateway of ours (its lock in our state dir, the token) whose channel stays down: the first
 * check restarts the account alone, the next escalates to a graceful restart of the gateway, in
 * place through OpenClaw's restart RPC. `deferred`: OpenClaw has work active and restarts only
 * when asked again with skipDeferral, after the channel escalation's drain (restart.stopTimeoutSec,
 * decide/signals/channels.ts).
 */
async function escalating(h: Home, settings: { stopTimeoutSec: number; verifyTimeoutSec: number }) {
  const flags = scriptedFlags(h, TOKEN, ['--restart-rpc', 'deferred']);
  configureEscalation(h, flags, TOKEN, settings);
  answer(h);
  const gw = startFakeGateway(['--port', String(h.port), ...flags], { env: h.own });
  await waitFor(() => healthy(h.port), { what: 'fake gateway' });
  expect((await h.check()).code).toBe(1); // channel_down, channel_restart (the account alone)
  expect(h.eventNames()).toEqual(['channel_down', 'channel_restart']);
  return gw;
}

/** The check that escalates, as cron runs it, caught in the in-place wait (the RPC accepted). */
async function checkInPlaceWait(h: Home) {
  const run = startCli(['check'], h.env);
  await waitFor(() => requests(h).length > 0, { what: `${REQUEST} sent`, timeoutMs: 30_000 });
  return run;
}

/** The restarts counters.json holds (the metrics' restarts_total), by reason. */
const restartsCounted = (h: Home): unknown =>
  (JSON.parse(readFileSync(join(h.dir, 'counters.json'), 'utf8')) as { restarts: unknown })
    .restarts;

type Saved = {
  restarts: { total: number; consecutive: number; nextAllowedAt: number | null };
  spawned: { pid: number | null; method: string } | null;
};

describe('a check killed while OpenClaw restarts the gateway in place (issue 24 #2)', () => {
  it('SIGKILL during the in-place wait: the restart is recorded already (one gateway_restart, backoff advanced)', async () => {
    const h = await makeHome();
    const gw = await escalating(h, { stopTimeoutSec: 120, verifyTimeoutSec: 15 });
    const run = await checkInPlaceWait(h);
    // Written once the request was accepted, before the wait (old code: only at the end).
    await waitFor(() => h.eventNames().includes('gateway_restart'), {
      what: 'gateway_restart logged during the in-place wait',
      timeoutMs: 10_000,
    });
    run.child.kill('SIGKILL');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Killed in the wait: asked once (deferred), not forced yet.
    expect(requests(h)).toHaveLength(1);
    const restarts = h.events().filter((e) => e.event === 'gateway_restart');
    expect(restarts).toEqual([
      expect.objectContaining({ reason: 'channel', method: 'rpc', pid: gw.pid }),
    ]);
    const state = h.state() as Saved;
    expect(state.restarts).toMatchObject({ total: 1, consecutive: 1 });
    expect(state.restarts.nextAllowedAt).toBeGreaterThan(Date.now());
    expect(state.spawned).toMatchObject({ pid: gw.pid, method: 'rpc' });
    // The next check: the same gateway, no second restart logged, no stack trace.
    const next = await h.check();
    expect(next.stderr).not.toMatch(/\n\s+at /);
    expect(h.eventNames().filter((e) => e === 'gateway_restart')).toHaveLength(1);
    // Counted when logged (at the acceptance), once (review of 6e848db).
    expect(restartsCounted(h)).toEqual({ channel: 1 });
    expect(isAlive(gw.pid!)).toBe(true);
  });

  it('SIGTERM during the in-place wait: records the restart it asked for, one line, exit 1', async () => {
    const h = await makeHome();
    const gw = await escalating(h, { stopTimeoutSec: 120, verifyTimeoutSec: 15 });
    const run = await checkInPlaceWait(h);
    await waitFor(() => h.eventNames().includes('gateway_restart'), {
      what: 'gateway_restart logged during the in-place wait',
      timeoutMs: 10_000,
    });
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(/check interrupted by SIGTERM; recorded what it did\n$/);
    expect(h.events().filter((e) => e.event === 'gateway_restart')).toEqual([
      expect.objectContaining({ reason: 'channel', method: 'rpc', pid: gw.pid }),
    ]);
    // Not undone as a restart that never started: the request was accepted.
    expect(h.state()).toMatchObject({
      restarts: { total: 1, consecutive: 1 },
      spawned: { pid: gw.pid, method: 'rpc' },
    });
  });

  it('accepted but never restarted in time: a clean stop and a start, still one gateway_restart and one backoff step', async () => {
    const h = await makeHome();
    const gw = await escalating(h, { stopTimeoutSec: 1, verifyTimeoutSec: 5 });
    // OpenClaw keeps deferring (work active), even when asked again with skipDeferral.
    answer(h, { ok: true, payload: { ok: true, status: 'deferred' } });
    const done = await h.check();
    expect(done.stderr).not.toMatch(/\n\s+at /);
    expect(requests(h).map((r) => r.params.skipDeferral ?? false)).toEqual([false, true]);
    await waitFor(() => !isAlive(gw.pid!), { what: 'the old gateway stopped' });
    const names = h.eventNames();
    expect(names.filter((e) => e === 'gateway_restart')).toHaveLength(1);
    expect(names).toContain('gateway_stopped');
    // In the order it happened: the request (logged at once), then the stop.
    expect(names.indexOf('gateway_restart')).toBeLessThan(names.indexOf('gateway_stopped'));
    const state = h.state() as Saved;
    expect(state.restarts).toMatchObject({ total: 1, consecutive: 1 });
    // The gateway it started is the one followed now.
    expect(state.spawned).toMatchObject({ method: 'command' });
    expect(state.spawned?.pid).not.toBe(gw.pid);
    expect(isAlive(state.spawned!.pid!)).toBe(true);
    // One restart, counted once: at the acceptance, not again at the start (review of 6e848db).
    expect(restartsCounted(h)).toEqual({ channel: 1 });
  });
});
