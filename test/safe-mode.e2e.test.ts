import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { insertBoot, inspectBreaker } from './fixtures/boot-ledger.mjs';
import { runCli } from './helpers/cli.js';
import { healthy, listener } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { CLI, isAlive, start, startFakeGateway, waitFor } from './helpers/processes.js';
import { closeReceivers, receiver } from './helpers/receiver.js';
import { readRpcLog } from './helpers/rpc-log.js';
import { cleanUp } from './helpers/teardown.js';
import { makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';

afterEach(async () => {
  cleanUp();
  await closeReceivers();
});

const TOKEN = 'safe-mode-test-token-1';
const env = { OPENCLAW_GATEWAY_TOKEN: TOKEN };
const LEDGER_FLAGS = ['--boot-ledger', '--restart-rpc', 'scheduled', '--token', TOKEN];

/** Three SIGKILLed boots (open rows of dead pids), 2 s apart, the first leaving OpenClaw's 300 s
 * window in `leaveInSec` seconds: the next boot trips the breaker, and a test need not wait 5
 * minutes. */
function threeKills(h: Home, leaveInSec: number): void {
  const at = Date.now() - (300 - leaveInSec) * 1000;
  for (const [i, pid] of [2_000_001, 2_000_002, 2_000_003].entries())
    insertBoot(h.stateDir, { startedAtMs: at + i * 2000, pid });
}

/** This home's gateway (its lock in the state dir, its boot ledger), started by hand. */
async function gateway(h: Home): Promise<number> {
  const args = ['--port', String(h.port), '--state-dir', h.stateDir, ...LEDGER_FLAGS];
  const child = startFakeGateway([...args, '--rpc-log', join(h.stateDir, 'rpc.jsonl')], {
    env: h.own,
  });
  await waitFor(() => healthy(h.port), { what: 'gateway' });
  return child.pid!;
}

const alerts = (r: { requests: { body: unknown }[] }) =>
  r.requests.map((q) => (q.body as { event: string }).event);

describe("OpenClaw's safe mode, seen by real checks", () => {
  it('safe mode is no healthy: one alert, no stop; recover after the window: ended', async () => {
    const hook = await receiver();
    const h = await makeHome();
    h.configure({
      ...withFakeRestart(h.port, LEDGER_FLAGS),
      notify: { webhooks: [{ url: hook.url, format: 'json' }] },
    });
    threeKills(h, 4);
    const pid = await gateway(h);
    expect(inspectBreaker(h.stateDir).uncleanBoots).toBe(4); // 3 kills + its own open row

    const first = await h.check(['--json'], env);
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout);
    expect(report.status).toBe('safe_mode');
    expect(report.actions).toEqual([]);
    expect(h.eventNames()).toEqual(['gateway_safe_mode']);
    expect(h.events()[0]).toMatchObject({
      level: 'error',
      channels: ['telegram'],
      uncleanBoots: 4,
      fix: `openclaw gateway call channels.start --params '{"channel":"telegram"}'`,
    });
    expect(alerts(hook)).toEqual(['gateway_safe_mode']);
    // status: the state, the line, the JSON.
    const shown = await runCli(['status'], { ...h.env, ...env });
    expect(shown.code).toBe(1);
    expect(shown.stdout).toMatch(/^gateway {3}SAFE_MODE/);
    expect(shown.stdout).toMatch(
      /safe mode telegram suppressed by OpenClaw's crash-loop breaker since .*; 4 unclean boot\(s\) in the last 300 s/,
    );
    const json = JSON.parse((await runCli(['status', '--json'], { ...h.env, ...env })).stdout);
    expect(json.safeMode).toMatchObject({ channels: ['telegram'], uncleanBoots: 4 });
    expect(json.gateway).toMatchObject({ healthy: false, state: 'safe_mode' });
    // serve's /health, what uptime monitors poll: 503 in safe mode.
    const servePort = await freePort();
    start(process.execPath, [CLI, 'serve', '--port', String(servePort)], { env: h.env });
    const health = await waitFor(
      () => fetch(`http://127.0.0.1:${servePort}/health`).catch(() => null),
      { what: 'serve' },
    );
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ healthy: false, state: 'safe_mode' });
    // Again inside the window: nothing new, and the gateway is left alone.
    expect((await h.check([], env)).code).toBe(1);
    expect(h.eventNames()).toEqual(['gateway_safe_mode']);
    expect(isAlive(pid)).toBe(true);

    // The three kills leave the window: one clean in-place restart (same pid), channels back.
    await waitFor(() => inspectBreaker(h.stateDir).uncleanBoots === 1, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'the window to drain',
    });
    const due = await h.check(['--json'], env);
    expect(JSON.parse(due.stdout)).toMatchObject({
      status: 'safe_mode',
      restart: { method: 'rpc', result: 'healthy', pid },
    });
    const asked = readRpcLog(join(h.stateDir, 'rpc.jsonl')).filter(
      (c) => c.method === 'gateway.restart.request',
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]!.params).toMatchObject({
      reason: 'openclaw-watchdog: breaker',
      target: { pid },
    });
    expect(listener(h.port)).toBe(pid);
    const back = await h.check(['--json'], env);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout).status).toBe('healthy');
    expect(h.eventNames()).toEqual([
      'gateway_safe_mode',
      'gateway_restart',
      'gateway_safe_mode_ended',
    ]);
    expect(h.events().at(-1)!.durationSec).toEqual(expect.any(Number));
    expect(alerts(hook)).toEqual([
      'gateway_safe_mode',
      'gateway_restart',
      'gateway_safe_mode_ended',
    ]);
    // The recovered boot: a new open row after the planned restart, breaker marker recovered.
    expect(inspectBreaker(h.stateDir)).toMatchObject({ uncleanBoots: 1, tripped: false });
  }, 60_000);

  it('recover without the token: nothing sent, nothing stopped, breaker_recover_failed said once', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, LEDGER_FLAGS));
    threeKills(h, 2);
    const pid = await gateway(h);
    await waitFor(() => inspectBreaker(h.stateDir).uncleanBoots === 1, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'the window to drain',
    });
    const r = await h.check(['--json']); // no token: the RPC cannot be sent
    expect(JSON.parse(r.stdout).status).toBe('safe_mode');
    expect(h.eventNames()).toEqual(['gateway_safe_mode', 'breaker_recover_failed']);
    expect(isAlive(pid)).toBe(true);
    expect(listener(h.port)).toBe(pid);
    await h.check();
    expect(h.eventNames()).toEqual(['gateway_safe_mode', 'breaker_recover_failed']);
  }, 30_000);

  it('recover: the request accepted but OpenClaw keeps deferring: one gateway_restart, then breaker_recover_failed saying so; never a stop', async () => {
    const h = await makeHome();
    const control = join(h.stateDir, 'control.json');
    // Work active all along: deferred, even when asked again with skipDeferral.
    const deferred = { ok: true, payload: { ok: true, status: 'deferred' } };
    writeFileSync(control, JSON.stringify({ rpc: { 'gateway.restart.request': deferred } }));
    const flags = ['--boot-ledger', '--restart-rpc', 'deferred', '--token', TOKEN];
    const fake = withFakeRestart(h.port, flags);
    h.configure({
      ...fake,
      restart: { ...fake.restart, verifyTimeoutSec: 2 },
      memory: { drainSec: 1 },
    });
    threeKills(h, 2);
    const args = ['--port', String(h.port), '--state-dir', h.stateDir, ...flags];
    const rpcLog = join(h.stateDir, 'rpc.jsonl');
    const gw = startFakeGateway([...args, '--control', control, '--rpc-log', rpcLog], {
      env: h.own,
    });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    await waitFor(() => inspectBreaker(h.stateDir).uncleanBoots === 1, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'the window to drain',
    });
    expect((await h.check([], env)).code).toBe(1);
    const asked = readRpcLog(rpcLog).filter((c) => c.method === 'gateway.restart.request');
    expect(asked.map((c) => c.params.skipDeferral ?? false)).toEqual([false, true]);
    // Logged at once when accepted; what followed comes after it, in order.
    expect(h.eventNames()).toEqual([
      'gateway_safe_mode',
      'gateway_restart',
      'breaker_recover_failed',
    ]);
    expect(h.events()[1]).toMatchObject({ reason: 'breaker', method: 'rpc', pid: gw.pid });
    expect(h.events()[2]!.error).toBe(
      'gateway.restart.request was accepted, but the gateway did not restart within the wait',
    );
    expect(isAlive(gw.pid!)).toBe(true);
    expect(listener(h.port)).toBe(gw.pid);
  }, 60_000);

  it('merely down with 3 unclean boots: the start waits for the window, then boots clean', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, LEDGER_FLAGS));
    threeKills(h, 6);
    const first = await h.check(['--json'], env);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'down', actions: [] });
    expect(h.eventNames()).toEqual(['gateway_down', 'waiting']);
    expect(h.events()[1]).toMatchObject({ reason: 'breaker_window' });
    expect(listener(h.port)).toBeNull();
    await waitFor(() => inspectBreaker(h.stateDir).uncleanBoots < 3, {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: 'the oldest unclean boot to leave the window',
    });
    const go = await h.check(['--json'], env);
    expect(JSON.parse(go.stdout).restart).toMatchObject({ result: 'healthy' });
    expect(h.eventNames()).toEqual([
      'gateway_down',
      'waiting',
      'start_near_breaker',
      'gateway_restart',
      'gateway_recovered',
    ]);
    // The boot it made is no safe mode.
    expect((await h.check(['--json'], env)).code).toBe(0);
    expect(inspectBreaker(h.stateDir).tripped).toBe(false);
  }, 60_000);

  it('true downtime: a clean stop is dated by the boot ledger, not by the first check', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, LEDGER_FLAGS));
    const pid = await gateway(h);
    expect((await h.check([], env)).code).toBe(0);
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !isAlive(pid) && listener(h.port) === null, { what: 'the stop' });
    const stoppedAt = Date.now();
    const r = await h.check(['--json'], env);
    expect(JSON.parse(r.stdout).restart).toMatchObject({ result: 'healthy' });
    const rec = h.events().find((e) => e.event === 'gateway_recovered')!;
    expect(rec).toMatchObject({ downtimeFrom: 'boot_ledger' });
    expect(Date.parse(String(rec.diedAt))).toBeLessThanOrEqual(stoppedAt);
    expect(rec.downtimeSec as number).toBeGreaterThanOrEqual(rec.seenDownSec as number);
  }, 30_000);
});
