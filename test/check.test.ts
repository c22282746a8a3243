import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck, EXIT_LOCK_BUSY, type CheckOptions } from '../src/check.js';
import { loadConfig, type Config } from '../src/lib/config/load.js';
import { observe } from '../src/lib/observe.js';
import type { ProbeOptions } from '../src/lib/probe/index.js';
import type { ProbeResult, Verdict } from '../src/lib/probe/types.js';
import { acquireCheckLock } from '../src/lib/store/lock.js';
import { writePause } from '../src/lib/store/pause.js';
import { removeTempDirs } from './helpers/dirs.js';
import { makeHome, type Home } from './helpers/watchdog-home.js';

afterEach(() => removeTempDirs());

const T0 = Date.parse('2026-11-26T00:00:00Z');

/** A check in this process: the probe says `verdict`; the wall clock reads T0 + `at` s and the
 * boot-time clock agrees (the real observe otherwise, /proc and all). */
function inProcess(h: Home) {
  const config: Config = loadConfig({}, h.env);
  const probes: ProbeOptions[] = [];
  const check = (at: number, verdict: Verdict, extra: Partial<CheckOptions> = {}) =>
    runCheck(config, {
      dryRun: false,
      say: () => {},
      now: () => T0 + at * 1000,
      probe: async (options) => {
        probes.push(options);
        return probeResult(options, verdict);
      },
      observe: async (...args) => ({
        ...(await observe(...args)),
        clock: { bootId: 'test-boot', uptimeMs: at * 1000 },
      }),
      ...extra,
    });
  return { config, probes, check };
}

function probeResult(options: ProbeOptions, verdict: Verdict): ProbeResult {
  return {
    verdict,
    host: options.host,
    port: options.port,
    ms: 3,
    startup: null,
    ready: null,
    failing: [],
    eventLoop: null,
    version: null,
    reason: `probe said ${verdict}`,
    steps: {},
  };
}

describe('runCheck in process (injected probe and clock)', () => {
  it('healthy: exit 0, the state saved at the injected time, nothing logged but the missing token, once', async () => {
    const h = await makeHome();
    const { check, probes, config } = inProcess(h);
    const report = await check(0, 'healthy');
    // Without a gateway token the channels cannot be checked: said once, then never again.
    const unchecked = { event: 'channels_unchecked', code: 'NO_TOKEN' };
    expect(report).toMatchObject({ status: 'healthy', exitCode: 0, paused: false });
    expect(report.events).toEqual([expect.objectContaining(unchecked)]);
    expect(report.actions.map((a) => a.type)).toEqual(['reap-orphans']);
    expect(probes).toEqual([
      expect.objectContaining({
        host: config.host,
        port: config.port,
        timeoutMs: config.settings.probe.timeoutMs,
      }),
    ]);
    expect(h.state()).toMatchObject({ lastCheckAt: T0, healthySince: T0, lastVerdict: 'healthy' });
    expect(h.eventNames()).toEqual(['channels_unchecked']);
    // The next channel look (checkEverySec later) finds no token again and says nothing.
    expect((await check(400, 'healthy')).events).toEqual([]);
    expect(h.eventNames()).toEqual(['channels_unchecked']);
  });

  it('healthy checks look for orphans once a minute (default minAgeSec 600), not every 30 s', async () => {
    const h = await makeHome();
    const { check } = inProcess(h);
    const runs = [];
    for (const at of [0, 30, 60, 90]) runs.push(await check(at, 'healthy'));
    expect(runs.map((r) => r.actions.map((a) => a.type))).toEqual([
      ['reap-orphans'],
      [],
      ['reap-orphans'],
      [],
    ]);
    // The pass ran (report.orphans) only where it was due.
    expect(runs.map((r) => r.orphans !== undefined)).toEqual([true, false, true, false]);
    expect(runs.map((r) => r.status)).toEqual(['healthy', 'healthy', 'healthy', 'healthy']);
    expect(h.state()).toMatchObject({ lastCheckAt: T0 + 90_000, orphansScannedAt: T0 + 60_000 });
  });

  it('a port that accepts but never answers, with no process to see: unresponsive, then a conflict after hungAfterSec', async () => {
    const h = await makeHome();
    const { check } = inProcess(h);
    // Nothing of ours on the port: observe finds no gateway and no owner (a holder nobody can see).
    const first = await check(0, 'unresponsive');
    expect(first).toMatchObject({ status: 'unresponsive', exitCode: 1, actions: [] });
    expect(h.eventNames()).toEqual(['gateway_unresponsive', 'waiting']);
    expect((await check(30, 'unresponsive')).status).toBe('unresponsive');
    const late = await check(61, 'unresponsive');
    expect(late).toMatchObject({ status: 'port-conflict', exitCode: 1, actions: [] });
    expect(h.eventNames()).toEqual(['gateway_unresponsive', 'waiting', 'port_conflict']);
    expect(h.events().at(-1)?.ts).toBe(new Date(T0 + 61_000).toISOString());
  });

  it('a pause read by observe: the restart is decided, skipped, and not counted', async () => {
    const h = await makeHome();
    const { check, config } = inProcess(h);
    writePause(config.paths.watchdogDir, { since: T0, until: T0 + 3600_000, reason: 'upgrade' });
    const report = await check(10, 'refused');
    expect(report).toMatchObject({ status: 'down', paused: true, actions: [] });
    expect(report.restart).toBeUndefined();
    expect(h.eventNames()).toEqual(['gateway_down', 'action_skipped']);
    expect(h.state()).toMatchObject({ restarts: { total: 0, consecutive: 0 } });
  });

  it('an expired pause: resumed is logged and the pause file goes', async () => {
    const h = await makeHome();
    const { check, config } = inProcess(h);
    writePause(config.paths.watchdogDir, { since: T0, until: T0 + 5_000, reason: null });
    const report = await check(10, 'healthy');
    expect(report).toMatchObject({ status: 'healthy', paused: false });
    expect(h.eventNames()).toEqual(['resumed', 'channels_unchecked']);
    expect(existsSync(join(config.paths.watchdogDir, 'pause.json'))).toBe(false);
  });

  it('dry run: says it would restart, carries out and writes nothing', async () => {
    const h = await makeHome();
    const { check, config } = inProcess(h);
    const report = await check(0, 'refused', { dryRun: true });
    expect(report).toMatchObject({ status: 'down', dryRun: true });
    expect(report.actions.map((a) => a.type)).toEqual(['reap-orphans', 'restart']);
    expect(report.restart).toBeUndefined();
    expect(existsSync(join(config.paths.watchdogDir, 'state.json'))).toBe(false);
  });

  it('another check holds the lock: lock-busy, exit 75, the probe never runs', async () => {
    const h = await makeHome();
    const { check, probes, config } = inProcess(h);
    const held = await acquireCheckLock(config.paths.watchdogDir, 60);
    try {
      const report = await check(0, 'healthy');
      expect(report).toMatchObject({ status: 'lock-busy', exitCode: EXIT_LOCK_BUSY });
      expect(probes).toEqual([]);
      expect(h.eventNames()).toEqual(['lock_busy']);
    } finally {
      await held?.release();
    }
  });

  it('notify.remindAfterSec: an open incident re-alerts from the check itself', async () => {
    const h = await makeHome({ notify: { remindAfterSec: 60 } });
    const { check } = inProcess(h);
    await check(0, 'unresponsive');
    await check(61, 'unresponsive');
    await check(130, 'unresponsive');
    expect(h.eventNames()).toEqual([
      'gateway_unresponsive',
      'waiting',
      'port_conflict',
      'incident_reminder',
    ]);
    expect(h.events().at(-1)).toMatchObject({ kind: 'conflict', sinceSec: 69 });
  });
});
