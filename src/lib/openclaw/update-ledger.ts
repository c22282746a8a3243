import { hostname } from 'node:os';
import { readProc } from '../procs/table.js';
import { hasTable, readStateDb, type Row, type SqliteRead } from './sqlite.js';

/**
 * OpenClaw's update ledger (§11.2 of the gateway facts; dist update-run-reader-*.mjs): table
 * `update_runs` in `<stateDir>/state/openclaw.sqlite`, created by the first update. An update is
 * in progress while a row is `running`; its driver (origin_json.driver {host, pid, startIdentity})
 * is alive when that pid still runs on this host with the same start time (OpenClaw's own
 * `inspectUpdateRunDriver`). Read only on checks that are not healthy, and before a stop of a
 * gateway that still answers (decide/openclaw/hold-stop.ts).
 */
export interface UpdateRun {
  runId: string;
  /** requested, staging, validating, repairing, activating, restarting, verifying, finished. */
  phase: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  /** The update's own process, when recorded. */
  driver: { host: string; pid: number; startIdentity: string } | null;
}

const TABLE = 'update_runs';

const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function driverOf(json: unknown): UpdateRun['driver'] {
  if (typeof json !== 'string' || json.length > 65_536) return null;
  try {
    const d = (JSON.parse(json) as { driver?: Record<string, unknown> } | null)?.driver;
    if (!d || typeof d.pid !== 'number' || typeof d.host !== 'string') return null;
    const startIdentity = typeof d.startIdentity === 'string' ? d.startIdentity : '';
    return { host: d.host, pid: d.pid, startIdentity };
  } catch {
    return null;
  }
}

function toRun(row: Row): UpdateRun {
  return {
    runId: (str(row.run_id) ?? '').slice(0, 64),
    phase: str(row.phase)?.slice(0, 32) ?? null,
    createdAtMs: num(row.created_at_ms) ?? 0,
    updatedAtMs: num(row.updated_at_ms) ?? 0,
    driver: driverOf(row.origin_json),
  };
}

/** The latest `running` update run, or null (none, or no table yet: no update ever ran here). */
export function runningUpdate(stateDir: string): SqliteRead<UpdateRun | null> {
  const read = readStateDb(stateDir, (db): UpdateRun | null => {
    if (!hasTable(db, TABLE)) return null;
    const row = db
      .prepare(
        `SELECT run_id, phase, created_at_ms, updated_at_ms, origin_json FROM ${TABLE}
         WHERE status = 'running' ORDER BY created_at_ms DESC LIMIT 1`,
      )
      .all()[0];
    return row ? toRun(row) : null;
  });
  if (!read.ok && read.reason === 'no database yet') return { ok: true, value: null };
  return read;
}

/** Is the run's driver alive: on this host, its pid running with the recorded start time? */
export function driverAlive(run: UpdateRun): boolean {
  const d = run.driver;
  if (!d || d.host !== hostname()) return false;
  const proc = readProc(d.pid);
  return proc !== null && String(proc.startTicks) === d.startIdentity;
}
