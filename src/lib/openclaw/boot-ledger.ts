import {
  BOOT_LOOP_WINDOW_MS,
  CRASH_LOOP_BREAKER_REASON,
  CRASH_LOOP_RECOVERED_REASON,
} from './boot-loop.js';
import { hasTable, readStateDb, type Row, type SqliteRead } from './sqlite.js';

/**
 * OpenClaw's boot ledger (§11.1 of the gateway facts; dist gateway-boot-lifecycle-*.mjs): table
 * `gateway_boot_lifecycle` in `<stateDir>/state/openclaw.sqlite`, one row per boot, opened when the
 * run loop holds the lifecycle lock (`completed_at_ms` NULL) and completed with an outcome. Read
 * only, only on the paths that need it (never on a healthy check whose /readyz has no
 * `suppressed`). Errors are data (sqlite.ts).
 */
export interface BootRow {
  bootId: string;
  pid: number;
  startedAtMs: number;
  /** Null while the boot runs, or after it died without a word (SIGKILL, OOM, a fatal error). */
  completedAtMs: number | null;
  /** clean_stop, planned_restart, forced_stop, startup_failed, safe_mode_stable,
   * startup_failure_repaired; null while open. */
  outcome: string | null;
  /** Why the boot began: gateway.crash_loop_breaker, gateway.crash_loop_recovered,
   * gateway.maintenance_required, …; null for an ordinary boot. */
  startupReason: string | null;
  /** The completion's reason: `stop (SIGTERM)`, `gateway.installation_replaced: …`, an error. */
  reason: string | null;
}

export {
  BOOT_LOOP_UNCLEAN_THRESHOLD,
  BOOT_LOOP_WINDOW_MS,
  CRASH_LOOP_BREAKER_REASON,
  CRASH_LOOP_RECOVERED_REASON,
} from './boot-loop.js';
/** Startup reasons the breaker never counts (a maintenance-required start exits 78 on purpose). */
const MAINTENANCE_REASONS = [
  'gateway.maintenance_required',
  'gateway.agent_media_migration_required',
];

const TABLE = 'gateway_boot_lifecycle';
const COLUMNS = 'boot_id, pid, started_at_ms, completed_at_ms, outcome, startup_reason, reason';

/** What a check needs from the ledger at `nowMs`, in one read. */
export interface BootLedger {
  /** Unclean boots in the window, as OpenClaw counts them when a boot begins. */
  uncleanBoots: number;
  /** When each counted boot leaves the window (epoch ms), soonest first: an open row leaves
   * 300 s after it started, a startup_failed row 300 s after it completed. */
  uncleanLeaveAtMs: number[];
  /** The counted boots themselves (pid, and when each leaves the window), soonest out first. */
  unclean: { bootId: string; pid: number; startedAtMs: number; leavesAtMs: number }[];
  /** The latest boot row, by start. */
  last: BootRow | null;
  /** The latest `gateway.crash_loop_breaker` boot is newer than the latest
   * `gateway.crash_loop_recovered` one: the breaker tripped and has not recovered. */
  breakerTripped: boolean;
  /** When the latest breaker boot began (epoch ms), if there is one. */
  breakerSinceMs: number | null;
}

const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function toBootRow(row: Row): BootRow {
  return {
    bootId: str(row.boot_id) ?? '',
    pid: num(row.pid) ?? 0,
    startedAtMs: num(row.started_at_ms) ?? 0,
    completedAtMs: num(row.completed_at_ms),
    outcome: str(row.outcome),
    startupReason: str(row.startup_reason),
    reason: str(row.reason),
  };
}

type Db = Parameters<Parameters<typeof readStateDb>[1]>[0];

function latestStartOf(db: Db, reason: string): number | null {
  const rows = db
    .prepare(
      `SELECT started_at_ms FROM ${TABLE} WHERE startup_reason = ? ORDER BY started_at_ms DESC LIMIT 1`,
    )
    .all(reason);
  return rows[0] ? num(rows[0].started_at_ms) : null;
}

/** The rows OpenClaw's inspectGatewayCrashLoopBreaker counts at `nowMs`. */
function uncleanRows(db: Db, nowMs: number): BootRow[] {
  const start = nowMs - BOOT_LOOP_WINDOW_MS;
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM ${TABLE}
       WHERE (startup_reason IS NULL OR startup_reason NOT IN (?, ?))
         AND ((completed_at_ms IS NULL AND started_at_ms >= ?)
           OR (outcome = 'startup_failed' AND completed_at_ms >= ?))`,
    )
    .all(...MAINTENANCE_REASONS, start, start)
    .map(toBootRow);
}

/** When a counted row leaves the window. */
const leavesAt = (row: BootRow): number =>
  (row.completedAtMs ?? row.startedAtMs) + BOOT_LOOP_WINDOW_MS;

const EMPTY: BootLedger = {
  uncleanBoots: 0,
  uncleanLeaveAtMs: [],
  unclean: [],
  last: null,
  breakerTripped: false,
  breakerSinceMs: null,
};

/** The ledger at `nowMs`: the unclean count, the last boot, the breaker marker. No database or no
 * table yet (a gateway that never booted) is an empty ledger. */
export function readBootLedger(stateDir: string, nowMs: number): SqliteRead<BootLedger> {
  const read = readStateDb(stateDir, (db): BootLedger => {
    if (!hasTable(db, TABLE)) return EMPTY;
    const unclean = uncleanRows(db, nowMs);
    const lastRow = db
      .prepare(`SELECT ${COLUMNS} FROM ${TABLE} ORDER BY started_at_ms DESC LIMIT 1`)
      .all()[0];
    const breakerAt = latestStartOf(db, CRASH_LOOP_BREAKER_REASON);
    const recoveredAt = latestStartOf(db, CRASH_LOOP_RECOVERED_REASON);
    const tripped = breakerAt !== null && (recoveredAt === null || recoveredAt < breakerAt);
    return {
      uncleanBoots: unclean.length,
      uncleanLeaveAtMs: unclean.map(leavesAt).sort((a, b) => a - b),
      unclean: unclean
        .map((r) => ({
          bootId: r.bootId,
          pid: r.pid,
          startedAtMs: r.startedAtMs,
          leavesAtMs: leavesAt(r),
        }))
        .sort((a, b) => a.leavesAtMs - b.leavesAtMs),
      last: lastRow ? toBootRow(lastRow) : null,
      breakerTripped: tripped,
      breakerSinceMs: breakerAt,
    };
  });
  if (!read.ok && read.reason === 'no database yet') return { ok: true, value: EMPTY };
  return read;
}

/** The unclean boots in the window at `nowMs`, exactly as OpenClaw's breaker counts them. */
export function uncleanBoots(stateDir: string, nowMs: number): SqliteRead<number> {
  const read = readBootLedger(stateDir, nowMs);
  return read.ok ? { ok: true, value: read.value.uncleanBoots } : read;
}

/** The latest boot row (by start), or null when the gateway never booted here. */
export function lastBoot(stateDir: string): SqliteRead<BootRow | null> {
  const read = readStateDb(stateDir, (db): BootRow | null => {
    if (!hasTable(db, TABLE)) return null;
    const row = db
      .prepare(`SELECT ${COLUMNS} FROM ${TABLE} ORDER BY started_at_ms DESC LIMIT 1`)
      .all()[0];
    return row ? toBootRow(row) : null;
  });
  if (!read.ok && read.reason === 'no database yet') return { ok: true, value: null };
  return read;
}
