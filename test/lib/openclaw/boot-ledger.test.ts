import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BOOT_LOOP_WINDOW_MS,
  lastBoot,
  readBootLedger,
  uncleanBoots,
} from '../../../src/lib/openclaw/boot-ledger.js';
import {
  beginBoot,
  completeBoot,
  inspectBreaker,
  insertBoot,
  recordRecovery,
} from '../../fixtures/boot-ledger.mjs';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const NOW = 1_800_000_000_000;
const S = 1000;

describe('readBootLedger: OpenClaw boot ledger, read-only', () => {
  it('counts open rows started in the window and startup_failed completed in it, as OpenClaw', () => {
    const dir = tempDir();
    insertBoot(dir, { startedAtMs: NOW - 100 * S }); // open, in window: unclean
    insertBoot(dir, { startedAtMs: NOW - 301 * S }); // open, before the window: not counted
    insertBoot(dir, {
      startedAtMs: NOW - 400 * S,
      completedAtMs: NOW - 250 * S,
      outcome: 'startup_failed',
      reason: 'listen EADDRINUSE',
    }); // failed, completed in window: unclean
    insertBoot(dir, {
      startedAtMs: NOW - 90 * S,
      completedAtMs: NOW - 80 * S,
      outcome: 'clean_stop',
      reason: 'stop (SIGTERM)',
    });
    insertBoot(dir, {
      startedAtMs: NOW - 70 * S,
      completedAtMs: NOW - 60 * S,
      outcome: 'planned_restart',
      reason: 'restart (SIGUSR2)',
    });
    insertBoot(dir, { startedAtMs: NOW - 50 * S, startupReason: 'gateway.maintenance_required' });
    insertBoot(dir, {
      startedAtMs: NOW - 40 * S,
      completedAtMs: NOW - 39 * S,
      outcome: 'startup_failed',
      startupReason: 'gateway.agent_media_migration_required',
    });
    const read = readBootLedger(dir, NOW);
    expect(read).toMatchObject({ ok: true });
    if (!read.ok) return;
    expect(read.value.uncleanBoots).toBe(2);
    // The same count OpenClaw's own query gives (fixture mirrors inspectGatewayCrashLoopBreaker).
    expect(read.value.uncleanBoots).toBe(inspectBreaker(dir, NOW).uncleanBoots);
    expect(read.value.uncleanLeaveAtMs).toEqual([NOW + 50 * S, NOW + 200 * S]);
    expect(read.value.last).toMatchObject({
      startedAtMs: NOW - 40 * S,
      outcome: 'startup_failed',
      startupReason: 'gateway.agent_media_migration_required',
    });
    expect(read.value.breakerTripped).toBe(false);
    expect(uncleanBoots(dir, NOW)).toEqual({ ok: true, value: 2 });
    expect(uncleanBoots(dir, NOW + BOOT_LOOP_WINDOW_MS)).toEqual({ ok: true, value: 0 });
  });

  it('the breaker: tripped after three unclean boots, recovered by a later recovered boot', () => {
    const dir = tempDir();
    for (const t of [60, 40, 20]) insertBoot(dir, { startedAtMs: NOW - t * S }); // 3 SIGKILLs
    const safe = beginBoot(dir, NOW);
    expect(safe.tripped).toBe(true);
    let read = readBootLedger(dir, NOW + S);
    expect(read.ok && read.value).toMatchObject({
      uncleanBoots: 4, // the safe-mode boot's own open row counts too
      breakerTripped: true,
      breakerSinceMs: NOW,
      last: { startupReason: 'gateway.crash_loop_breaker', completedAtMs: null },
    });
    recordRecovery(dir, safe.bootId, NOW + 360 * S);
    read = readBootLedger(dir, NOW + 361 * S);
    expect(read.ok && read.value).toMatchObject({
      breakerTripped: false,
      last: { startupReason: 'gateway.crash_loop_recovered' },
    });
  });

  it('a clean restart inside the window trips again with no new marker: still tripped', () => {
    const dir = tempDir();
    for (const t of [60, 40, 20]) insertBoot(dir, { startedAtMs: NOW - t * S });
    const safe = beginBoot(dir, NOW);
    completeBoot(dir, safe.bootId, 'planned_restart', 'restart (SIGUSR2)', NOW + 10 * S);
    const again = beginBoot(dir, NOW + 15 * S);
    expect(again.tripped).toBe(true);
    const read = readBootLedger(dir, NOW + 16 * S);
    expect(read.ok && read.value).toMatchObject({
      breakerTripped: true,
      breakerSinceMs: NOW,
      last: { startupReason: null },
    });
  });

  it('lastBoot: the latest row by start; null with no database or no table', () => {
    const dir = tempDir();
    expect(lastBoot(dir)).toEqual({ ok: true, value: null });
    insertBoot(dir, {
      startedAtMs: NOW - 20 * S,
      completedAtMs: NOW - 10 * S,
      outcome: 'planned_restart',
      reason: 'gateway.installation_replaced: 2026.9.5 -> 2026.9.6',
      pid: 4242,
    });
    insertBoot(dir, { startedAtMs: NOW - 30 * S });
    expect(lastBoot(dir)).toMatchObject({
      ok: true,
      value: { pid: 4242, outcome: 'planned_restart', completedAtMs: NOW - 10 * S },
    });
    const empty = tempDir();
    mkdirSync(join(empty, 'state'));
    writeFileSync(join(empty, 'state', 'openclaw.sqlite'), '');
    expect(readBootLedger(empty, NOW)).toMatchObject({ ok: true, value: { uncleanBoots: 0 } });
  });

  it('errors are data: a symlinked or unreadable database is a reason, never a throw', () => {
    const dir = tempDir();
    insertBoot(dir, { startedAtMs: NOW });
    const other = tempDir();
    mkdirSync(join(other, 'state'));
    symlinkSync(join(dir, 'state', 'openclaw.sqlite'), join(other, 'state', 'openclaw.sqlite'));
    expect(readBootLedger(other, NOW)).toMatchObject({ ok: false });
    const junk = tempDir();
    mkdirSync(join(junk, 'state'));
    writeFileSync(join(junk, 'state', 'openclaw.sqlite'), 'not a database at all, just text');
    expect(readBootLedger(junk, NOW)).toMatchObject({ ok: false });
    expect(lastBoot(junk)).toMatchObject({ ok: false });
    if (process.getuid?.() !== 0) {
      chmodSync(join(dir, 'state', 'openclaw.sqlite'), 0);
      expect(readBootLedger(dir, NOW)).toMatchObject({ ok: false });
    }
  });

  it('never writes: the database file is unchanged by a read', async () => {
    const dir = tempDir();
    insertBoot(dir, { startedAtMs: NOW });
    const { readFileSync } = await import('node:fs');
    const before = readFileSync(join(dir, 'state', 'openclaw.sqlite'));
    readBootLedger(dir, NOW);
    lastBoot(dir);
    expect(readFileSync(join(dir, 'state', 'openclaw.sqlite')).equals(before)).toBe(true);
  });
});
