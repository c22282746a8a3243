import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCli } from './helpers/cli.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, isAlive, startFakeGateway, track, waitFor } from './helpers/processes.js';
import { healthy } from './helpers/gateways.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';
import { closeReceivers, receiver } from './helpers/receiver.js';

afterEach(async () => {
  await closeReceivers();
  await cleanUp();
});

/** The restarts counters.json holds (what the metrics' restarts_total shows), by reason. */
const restartsCounted = (h: Home): unknown =>
  (JSON.parse(readFileSync(join(h.dir, 'counters.json'), 'utf8')) as { restarts: unknown })
    .restarts;

/** A check that restarts a gateway which never answers (verify waits its whole 30 s). */
async function checkInVerify(h: Home, extra: Record<string, unknown> = {}) {
  const settings = withFakeRestart(h.port, ['--listen-after', '600000', '--print', 'booting']);
  // A lock that stays fresh on a loaded machine (a short one may go stale while the check waits).
  const lock = { staleSec: 30 };
  const restart = { ...settings.restart, verifyTimeoutSec: 30 };
  h.configure({ ...settings, lock, restart, ...extra });
  const run = startCli(['check'], h.env);
  // The gateway has started (it printed to gateway.log): the check is in verify now.
  const log = join(h.dir, 'gateway.log');
  await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('booting'), {
    what: 'the gateway started',
  });
  return run;
}

describe('a check killed after it started the gateway (issue 24 #2)', () => {
  it('SIGKILL during verify: the restart is recorded already (events and state, backoff advanced)', async () => {
    const h = await makeHome();
    const run = await checkInVerify(h);
    // Written at the start, before verify waits (old code: only at the end, 30 s later).
    await waitFor(() => h.eventNames().includes('gateway_restart'), {
      what: 'gateway_restart logged during verify',
      timeoutMs: 10_000,
    });
    run.child.kill('SIGKILL');
    await run.exited;
    expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart']);
    const state = h.state() as {
      restarts: { total: number; consecutive: number; nextAllowedAt: number };
      spawned: { pid: number };
    };
    expect(state.restarts).toMatchObject({ total: 1, consecutive: 1 });
    expect(state.restarts.nextAllowedAt).toBeGreaterThan(Date.now());
    expect(isAlive(state.spawned.pid)).toBe(true);
    // Counted as logged (the metrics' restarts_total): once, not lost with the final record.
    expect(restartsCounted(h)).toEqual({ crashed: 1 });
    // The next check knows its booting gateway: no second start, the backoff holds.
    const next = await h.check();
    expect(h.eventNames().filter((e) => e === 'gateway_restart')).toHaveLength(1);
    expect(restartsCounted(h)).toEqual({ crashed: 1 });
    expect(next.stderr).not.toMatch(/\n\s+at /);
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`${signal} during verify: records what it did, one line, exit 1`, async () => {
      const h = await makeHome();
      const run = await checkInVerify(h);
      run.child.kill(signal);
      const end = await run.exited;
      expect(end).toEqual({ code: 1, signal: null });
      expect(run.stderr()).toBe(
        `openclaw-watchdog: check interrupted by ${signal}; recorded what it did\n`,
      );
      expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart']);
      expect(h.state()).toMatchObject({ restarts: { total: 1, consecutive: 1 } });
      expect(restartsCounted(h)).toEqual({ crashed: 1 });
      // The lock was released: the next check runs (not 75).
      expect((await h.check()).code).not.toBe(75);
      expect(restartsCounted(h)).toEqual({ crashed: 1 });
    });
  }

  it('a restart the journal logged but could not count (counters.json unwritable then) is counted by its next write (review of 6e848db)', async () => {
    const h = await makeHome();
    // counters.json a non-empty directory: the count at the start fails (its rename over it does).
    const blocked = join(h.dir, 'counters.json');
    mkdirSync(join(blocked, 'x'), { recursive: true });
    const run = await checkInVerify(h);
    await waitFor(() => h.eventNames().includes('gateway_restart'), {
      what: 'gateway_restart logged during verify',
      timeoutMs: 10_000,
    });
    // The disk can take it again (a full disk freed meanwhile): the next write counts it.
    rmSync(blocked, { recursive: true });
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart']);
    // Old code: logged, so never counted again (the final record, or the handler, skipped it).
    expect(restartsCounted(h)).toEqual({ crashed: 1 });
  });

  it('a restart the journal logged but could not count is counted by the final record when no signal comes (review of 6e848db)', async () => {
    const h = await makeHome();
    const blocked = join(h.dir, 'counters.json');
    mkdirSync(join(blocked, 'x'), { recursive: true });
    // A gateway that answers 5 s after its start: verify ends healthy, then the final record.
    const settings = withFakeRestart(h.port, ['--listen-after', '5000', '--print', 'booting']);
    h.configure({ ...settings, lock: { staleSec: 30 } });
    const run = startCli(['check'], h.env);
    const log = join(h.dir, 'gateway.log');
    await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('booting'), {
      what: 'the gateway started',
    });
    // Held still while counters.json can be written again: it records only after that.
    run.child.kill('SIGSTOP');
    expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart']);
    rmSync(blocked, { recursive: true });
    run.child.kill('SIGCONT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(h.eventNames().filter((e) => e === 'gateway_restart')).toHaveLength(1);
    expect(restartsCounted(h)).toEqual({ crashed: 1 });
  });

  it('SIGTERM during verify: its alerts wait in the outbox, and the next check sends them', async () => {
    const hook = await receiver('ok');
    const h = await makeHome();
    const run = await checkInVerify(h, {
      notify: { webhooks: [{ url: hook.url, format: 'json' }] },
    });
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 1, signal: null });
    // Nothing was sent by the interrupted check (alerts go only after the actions).
    expect(hook.requests).toEqual([]);
    const outbox = JSON.parse(readFileSync(join(h.dir, 'outbox.json'), 'utf8')) as {
      alerts: { event: { event: string } }[];
    };
    expect(outbox.alerts.map((a) => a.event.event)).toEqual(['gateway_down', 'gateway_restart']);
    // The next check (its gateway still booting) delivers them, in order, marked late.
    await h.check();
    const sent = hook.requests.map((q) => q.body as { event: string; late?: boolean });
    expect(sent.map((b) => b.event)).toEqual(['gateway_down', 'gateway_restart']);
    expect(sent.every((b) => b.late === true)).toBe(true);
    const left = JSON.parse(readFileSync(join(h.dir, 'outbox.json'), 'utf8')) as {
      alerts: unknown[];
    };
    expect(left.alerts).toEqual([]);
  });
});

describe('a check interrupted before it started the gateway (issue 24 leftover)', () => {
  /** SIGTERM pending at a stopped process: the check's stop has begun (it waits to SIGKILL). */
  const termPending = (pid: number) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const pending = [...status.matchAll(/^(?:ShdPnd|SigPnd):\s*([0-9a-f]+)$/gm)];
    return pending.some(([, mask]) => (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n);
  };

  it('SIGTERM while it stops a hung gateway: state saved without the restart; the next check neither logs the incident again nor waits for a backoff', async () => {
    const h = await makeHome();
    const settings = withFakeRestart(h.port, [], {
      probe: { ...FAST.probe, startupGraceSec: 120 },
      lock: { staleSec: 60 },
    });
    // A long stop wait: the check is SIGTERMed inside it, before any start.
    h.configure({ ...settings, restart: { ...settings.restart, stopTimeoutSec: 60 } });
    const hung = startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    expect((await h.check()).code).toBe(0);
    process.kill(hung.pid!, 'SIGSTOP');
    // Unresponsive, then hung (probe.hungAfterSec 1): the check that stops it.
    const child = await waitFor(
      async () => {
        const c = spawn(process.execPath, [CLI, 'check'], { env: h.env, stdio: 'pipe' });
        track(c.pid);
        let stderr = '';
        c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const exited = new Promise<number | null>((resolve) =>
          c.on('exit', (code) => resolve(code)),
        );
        // 'stopping' once its SIGTERM is pending at the gateway; 'ended' when it ended without.
        const seen = await waitFor(
          async () =>
            termPending(hung.pid!)
              ? 'stopping'
              : (await Promise.race([exited, null])) !== null
                ? 'ended'
                : null,
          { what: 'the stop or the end of the check', timeoutMs: 30_000, intervalMs: 50 },
        );
        if (seen === 'ended') return null;
        return { c, exited, stderr: () => stderr };
      },
      { what: 'a check stopping the hung gateway', timeoutMs: 30_000, intervalMs: 100 },
    );
    child.c.kill('SIGTERM');
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/check interrupted by SIGTERM; recorded what it did/);
    expect(h.eventNames().filter((e) => e === 'gateway_hung')).toHaveLength(1);
    expect(h.eventNames()).not.toContain('gateway_restart');
    // Saved: the incident it logged, and no restart counted (none started).
    expect(h.state()).toMatchObject({
      incident: { kind: 'hung' },
      restarts: { total: 0, consecutive: 0, nextAllowedAt: null },
    });
    // The gateway dies meanwhile: the next check restarts it at once, within the same incident.
    process.kill(hung.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(hung.pid!), { what: 'gateway gone' });
    expect((await h.check()).code).toBe(0);
    const names = h.eventNames();
    expect(names.filter((e) => e === 'gateway_hung')).toHaveLength(1);
    expect(names).not.toContain('gateway_down');
    expect(names.filter((e) => e === 'gateway_restart')).toHaveLength(1);
    expect(names.at(-1)).toBe('gateway_recovered');
  });
});
