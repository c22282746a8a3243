// Issue 19, item 3 (second half) and item 5: a stop of a gateway that still answers is clean
// (SIGTERM and its drain, never SIGKILL while it answers), and waits for OpenClaw's write custody.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { healthy, listener } from './helpers/gateways.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { readRpcLog } from './helpers/rpc-log.js';
import { cleanUp } from './helpers/teardown.js';
import { makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';

afterEach(cleanUp);

const TOKEN = 'clean-stop-token-1';
const ENV = { OPENCLAW_GATEWAY_TOKEN: TOKEN };
const CEILING = { restartAboveMB: 120, warnAboveMB: 4000, sustainSec: 0, drainSec: 1 };

const control = (h: Home) => join(h.dir, '..', 'control.json');
const setControl = (h: Home, c: Record<string, unknown>) =>
  writeFileSync(control(h), JSON.stringify(c));
const rpcLog = (h: Home) => readRpcLog(join(h.dir, '..', 'rpc.jsonl'));

/** A gateway of this home over the memory ceiling, with its lock, token, control and rpc log. */
async function gateway(h: Home, flags: string[] = []): Promise<number> {
  const args = ['--port', String(h.port), '--state-dir', h.stateDir, '--token', TOKEN];
  const more = [
    '--rss-mb',
    '200',
    '--control',
    control(h),
    '--rpc-log',
    join(h.dir, '..', 'rpc.jsonl'),
  ];
  const child = startFakeGateway([...args, ...more, ...flags], { env: h.own });
  await waitFor(() => healthy(h.port), { what: 'gateway' });
  return child.pid!;
}

const named = (h: Home, name: string) => h.events().filter((e) => e.event === name);

describe('a stop of a gateway that still answers is clean', () => {
  it('it drains longer than memory.drainSec: waited for while it answers, never SIGKILLed; then started', async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), memory: CEILING });
    setControl(h, {});
    // SIGTERM drains 3 s (/startupz draining, /healthz 200): past drainSec (1) and stopTimeoutSec (1).
    const pid = await gateway(h, ['--drain-ms', '3000']);
    const r = JSON.parse((await h.check(['--json'], ENV)).stdout);
    expect(named(h, 'gateway_stopped')).toEqual([
      expect.objectContaining({ reason: 'memory', killed: [], pids: [pid] }),
    ]);
    expect(r.restart).toMatchObject({ result: 'healthy' });
    expect(isAlive(pid)).toBe(false);
    expect(named(h, 'gateway_stop_stalled')).toEqual([]);
  });

  it('still answering past its own shutdown budget: left running (gateway_stop_stalled), not killed, nothing started over it', async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), memory: CEILING });
    // OpenClaw's budget as its status RPC gives it, made short: 1.5 s + 0.5 s reserve.
    setControl(h, { shutdownBudget: { timeoutMs: 1500, reserveMs: 500 } });
    const pid = await gateway(h, ['--ignore-term']);
    const r = await h.check(['--json'], ENV);
    const report = JSON.parse(r.stdout);
    expect(named(h, 'gateway_stop_stalled')).toEqual([
      expect.objectContaining({ pid, reason: 'memory' }),
    ]);
    expect(named(h, 'gateway_stopped')).toEqual([
      expect.objectContaining({ killed: [], pids: [] }),
    ]);
    expect(report.restart).toBeUndefined();
    expect(named(h, 'gateway_restart')).toEqual([]);
    expect(isAlive(pid)).toBe(true);
    expect(listener(h.port)).toBe(pid);
  });
});

describe('write custody before a stop', () => {
  it('held (a backup): the stop waits, reading status again, and goes on once it is released', async () => {
    const h = await makeHome();
    h.configure({
      ...withFakeRestart(h.port),
      memory: CEILING,
      restart: { ...withFakeRestart(h.port).restart, custodyWaitSec: 60 },
    });
    setControl(h, { writeCustody: [{ phase: 'backup', count: 1 }] });
    const pid = await gateway(h);
    const check = h.check(['--json'], ENV);
    // Released once the watchdog has asked twice (it waits, it does not stop).
    await waitFor(() => rpcLog(h).filter((c) => c.method === 'status').length >= 2, {
      what: 'two status reads',
      timeoutMs: 20_000,
    });
    expect(isAlive(pid)).toBe(true);
    setControl(h, {});
    const report = JSON.parse((await check).stdout);
    expect(named(h, 'write_custody')).toEqual([
      expect.objectContaining({ phases: 'backup (1)', outcome: 'released' }),
    ]);
    const names = h.eventNames();
    expect(names.indexOf('write_custody')).toBeLessThan(names.indexOf('gateway_stopped'));
    expect(report.restart).toMatchObject({ result: 'healthy' });
    expect(isAlive(pid)).toBe(false);
  });

  it('still held after restart.custodyWaitSec: nothing is stopped (said once), the gateway keeps serving', async () => {
    const h = await makeHome();
    h.configure({
      ...withFakeRestart(h.port),
      memory: CEILING,
      restart: { ...withFakeRestart(h.port).restart, custodyWaitSec: 1 },
    });
    setControl(h, { writeCustody: [{ phase: 'migration', count: 2 }] });
    const pid = await gateway(h);
    const r = await h.check(['--json'], ENV);
    expect(r.code).toBe(0);
    expect(named(h, 'write_custody')).toEqual([
      expect.objectContaining({ phases: 'migration (2)', outcome: 'gave_up', level: 'warn' }),
    ]);
    expect(named(h, 'gateway_stopped')).toEqual([]);
    expect(named(h, 'gateway_restart')).toEqual([]);
    expect(listener(h.port)).toBe(pid);
  });
});
