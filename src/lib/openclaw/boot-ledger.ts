import { hasTable, readStateDb, type Row, type SqliteRead } from './sqlite.js';

/**
 * OpenClaw's boot ledger (§11.1 of the gateway facts; dist gateway-boot-lifecycle-*.mjs): table
 * `gateway_boot_lifecycle` in `<stateDir>/state/openclaw.sqlite`, one row per boot. Minimal reader
 * (the last row only) until the crash-loop breaker's full ledger reader lands; same names.
 */
export interface BootRow {
  bootId: string;
  pid: number;
  startedAtMs: number;
  /** Null while the boot runs, or after it died without a word (SIGKILL, OOM, a fatal error). */
  completedAtMs: number | null;
  /** clean_stop, planned_restart, forced_stop, startup_failed, …; null while open. */
  outcome: string | null;
  /** Why the boot began (gateway.crash_loop_breaker, gateway.maintenance_required, …). */
  startupReason: string | null;
  /** The completion's reason: `stop (SIGTERM)`, `gateway.installation_replaced: …`, an error. */
  reason: string | null;
}

const TABLE = 'gateway_boot_lifecycle';
const COLUMNS = 'boot_id, pid, started_at_ms, completed_at_ms, outcome, startup_reason, reason';

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
