import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/load.js';
import {
  observeOpenClaw,
  openclawBeforeStop,
  successorOf,
} from '../../../src/lib/openclaw/lifecycle.js';
import { parseBudget } from '../../../src/lib/openclaw/shutdown-budget.js';
import { driverAlive, runningUpdate } from '../../../src/lib/openclaw/update-ledger.js';
import { lastBoot, readBootLedger } from '../../../src/lib/openclaw/boot-ledger.js';
import type { ProbeResult } from '../../../src/lib/probe/types.js';
import type { Proc } from '../../../src/lib/procs/proc-stat.js';
import { readProc } from '../../../src/lib/procs/table.js';
import { insertBoot } from '../../fixtures/boot-ledger.mjs';
import { tempDir } from '../../helpers/dirs.js';
import { HELPER, killTracked, start, waitFor } from '../../helpers/processes.js';

afterEach(() => killTracked());

const probe = (verdict: ProbeResult['verdict'], startup: string | null = null) =>
  ({
    verdict,
    startup,
    host: '127.0.0.1',
    port: 1,
    ms: 1,
    ready: null,
    failing: [],
    eventLoop: null,
    version: null,
    reason: verdict,
    steps: {},
  }) as ProbeResult;

async function helper(title = 'openclaw') {
  const pid = start(process.execPath, [HELPER, title]).pid!;
  return waitFor(() => (readProc(pid)?.title === title ? readProc(pid) : null), { what: title });
}

function updateRuns(stateDir: string, rows: [string, string, string | null][]) {
  mkdirSync(join(stateDir, 'state'), { recursive: true });
  const db = new DatabaseSync(join(stateDir, 'state', 'openclaw.sqlite'));
  db.exec(
    'CREATE TABLE update_runs (run_id TEXT PRIMARY KEY, created_at_ms INTEGER, updated_at_ms INTEGER, phase TEXT, status TEXT, origin_json TEXT)',
  );
  rows.forEach(([id, status, origin], i) =>
    db
      .prepare('INSERT INTO update_runs VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, i, i, 'staging', status, origin),
  );
  db.close();
}

describe('OpenClaw records, read-only (openclaw/update-ledger.ts, boot-ledger.ts)', () => {
  it('no database, no table: nothing running, no boot', () => {
    const dir = tempDir();
    expect(runningUpdate(dir)).toEqual({ ok: true, value: null });
    expect(lastBoot(dir)).toEqual({ ok: true, value: null });
  });

  it('the latest running run, its driver alive only with the same pid, host and start time', async () => {
    const dir = tempDir();
    const p = await helper();
    const driver = (startIdentity: string, host = hostname()) =>
      JSON.stringify({ driver: { host, pid: p.pid, startIdentity } });
    updateRuns(dir, [
      ['old', 'succeeded', driver(String(p.startTicks))],
      ['now', 'running', driver(String(p.startTicks))],
    ]);
    const run = runningUpdate(dir);
    expect(run).toMatchObject({ ok: true, value: { runId: 'now', phase: 'staging' } });
    const value = (run as { value: Parameters<typeof driverAlive>[0] }).value;
    expect(driverAlive(value)).toBe(true);
    expect(
      driverAlive({
        ...value,
        driver: { ...value.driver!, startIdentity: String(p.startTicks + 1) },
      }),
    ).toBe(false);
    expect(driverAlive({ ...value, driver: { ...value.driver!, host: 'elsewhere' } })).toBe(false);
    expect(driverAlive({ ...value, driver: null })).toBe(false);
  });

  it('the last boot row by start', () => {
    const dir = tempDir();
    insertBoot(dir, {
      startedAtMs: 1,
      completedAtMs: 2,
      outcome: 'clean_stop',
      reason: 'stop (SIGTERM)',
    });
    insertBoot(dir, {
      startedAtMs: 3,
      completedAtMs: 4,
      outcome: 'planned_restart',
      reason: 'gateway.installation_replaced: x',
    });
    expect(lastBoot(dir)).toMatchObject({
      ok: true,
      value: { startedAtMs: 3, outcome: 'planned_restart' },
    });
  });

  it('shutdownBudget: nested custody and work, bounded; absent → OpenClaw defaults', () => {
    expect(parseBudget(undefined)).toMatchObject({
      known: false,
      timeoutMs: 325_000,
      reserveMs: 10_000,
      writeCustody: [],
    });
    const b = parseBudget({
      timeoutMs: 5000,
      reserveMs: 100,
      activeWork: { rootRequests: 2 },
      writeCustody: [
        { phase: 'backup', count: 1 },
        { nophase: true },
        ...Array(40).fill({ phase: 'x' }),
      ],
    });
    expect(b).toMatchObject({ known: true, timeoutMs: 5000, activeWork: { rootRequests: 2 } });
    expect(b.writeCustody[0]).toEqual({ phase: 'backup', count: 1 });
    expect(b.writeCustody.length).toBeLessThanOrEqual(16);
  });
});

/** What observe passes: no port owner, the ledger as read now. */
const at = (stateDir: string) => ({
  portOwner: null,
  bootLedger: readBootLedger(stateDir, Date.now()),
});

describe('observeOpenClaw (openclaw/lifecycle.ts)', () => {
  async function config(stateDir: string) {
    mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
    writeFileSync(join(stateDir, 'openclaw.json'), '{}');
    return loadConfig(
      {},
      { HOME: join(stateDir, '..'), OPENCLAW_STATE_DIR: stateDir, OPENCLAW_GATEWAY_PORT: '1' },
    );
  }

  it("doctor's lock role: its owner alive (pid + start time); a dead owner or a gateway's lock is no role", async () => {
    const home = tempDir();
    const stateDir = join(home, '.openclaw');
    const cfg = await config(stateDir);
    const owner = await helper();
    const lockDir = join(stateDir, 'tmp', `openclaw-${process.getuid!()}`);
    mkdirSync(lockDir, { recursive: true });
    const lock = (body: object) =>
      writeFileSync(join(lockDir, 'gateway.state.lock'), JSON.stringify(body));
    lock({ pid: owner.pid, role: 'sqlite-maintenance', startTime: owner.startTicks });
    const seen = await observeOpenClaw(cfg, probe('refused'), [], [], at(stateDir));
    expect(seen.lockRole).toEqual({ role: 'sqlite-maintenance', pid: owner.pid });
    lock({ pid: owner.pid, role: 'sqlite-maintenance', startTime: owner.startTicks + 1 });
    expect(
      (await observeOpenClaw(cfg, probe('refused'), [], [], at(stateDir))).lockRole,
    ).toBeNull();
    lock({ pid: owner.pid, startTime: owner.startTicks });
    expect(
      (await observeOpenClaw(cfg, probe('refused'), [], [], at(stateDir))).lockRole,
    ).toBeNull();
    // No start time: its command line must still be openclaw … doctor (a helper's is not).
    lock({ pid: owner.pid, role: 'sqlite-maintenance' });
    expect(
      (await observeOpenClaw(cfg, probe('refused'), [], [], at(stateDir))).lockRole,
    ).toBeNull();
  });

  it('an update successor: a gateway-titled child of a gateway of ours that owns the lock or the port (never a helper, never under the port holder)', () => {
    const p = (pid: number, ppid: number, title: string): Proc => ({
      pid,
      ppid,
      uid: 0,
      name: title.slice(0, 15),
      title,
      startTicks: pid,
      state: 'S',
      rssBytes: 0,
      ageSec: 99,
    });
    const parent = { pid: 10, startTicks: 10, ageSec: 99, title: 'openclaw-gateway', ours: true };
    const table = [p(10, 1, 'openclaw-gateway'), p(11, 10, 'openclaw-gateway'), p(12, 10, 'node')];
    // The child owns the port (or the lock), the parent does not: one gateway, updating.
    expect(successorOf([parent], table, new Set([11]))).toEqual({ parent: 10, child: 11 });
    // A child titled like a gateway that owns nothing (a hung gateway's helper: defect 6).
    expect(successorOf([parent], table, new Set())).toBeNull();
    expect(successorOf([parent], table, new Set([10, 11]))).toBeNull();
    expect(
      successorOf([parent], [p(10, 1, 'openclaw-gateway'), p(12, 10, 'openclaw')], new Set([12])),
    ).toBeNull();
    expect(successorOf([{ ...parent, ours: false }], table, new Set([11]))).toBeNull();
  });

  it('the last boot row only when nothing listens; the log line only when the ledger cannot be read', async () => {
    const home = tempDir();
    const stateDir = join(home, '.openclaw');
    const cfg = await config(stateDir);
    insertBoot(stateDir, {
      startedAtMs: 1,
      completedAtMs: 2,
      outcome: 'planned_restart',
      reason: 'gateway.installation_replaced: x',
    });
    expect(
      (await observeOpenClaw(cfg, probe('refused'), [], [], at(stateDir))).lastBoot,
    ).toMatchObject({
      outcome: 'planned_restart',
    });
    expect(
      (await observeOpenClaw(cfg, probe('unresponsive'), [], [], at(stateDir))).lastBoot,
    ).toBeNull();
    expect(
      (await observeOpenClaw(cfg, probe('refused'), [], [], at(stateDir))).replacedLine,
    ).toBeNull();
  });

  it('before a stop (and on a check that is not healthy): records that cannot be read are said (unread, the reason); readable ones, or none yet, are not', async () => {
    const home = tempDir();
    const stateDir = join(home, '.openclaw');
    const cfg = await config(stateDir);
    expect((await openclawBeforeStop(cfg)).unread).toBeUndefined();
    updateRuns(stateDir, []);
    expect(await openclawBeforeStop(cfg)).toMatchObject({ update: null });
    expect((await openclawBeforeStop(cfg)).unread).toBeUndefined();
    writeFileSync(join(stateDir, 'state', 'openclaw.sqlite'), 'not a database '.repeat(512));
    const seen = await openclawBeforeStop(cfg);
    expect(seen.update).toBeNull();
    expect(seen.unread).toEqual(expect.any(String));
    expect(seen.unread).not.toBe('');
    // the same on a check that is not healthy
    const down = await observeOpenClaw(cfg, probe('refused'), [], [], at(stateDir));
    expect(down.unread).toEqual(expect.any(String));
  });
});
