import { lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';

/**
 * OpenClaw's own records (§11 of the gateway facts): `<stateDir>/state/openclaw.sqlite`, read with
 * `node:sqlite`, read-only, only on the paths that need them. Errors are data: a missing, foreign
 * or locked database is a reason, never a throw.
 */
export type SqliteRead<T> = { ok: true; value: T } | { ok: false; reason: string };

export type Row = Record<string, unknown>;

/** The database OpenClaw keeps in a state dir. */
export const stateDbPath = (stateDir: string): string => join(stateDir, 'state', 'openclaw.sqlite');

/** How long a read waits for OpenClaw's write lock before it gives up (ms). */
const BUSY_TIMEOUT_MS = 250;

type Database = {
  prepare(sql: string): { all(...params: unknown[]): Row[] };
  close(): void;
};
type SqliteModule = {
  DatabaseSync: new (
    path: string,
    options: { readOnly: boolean; timeout: number; open: boolean },
  ) => Database & { open(): void };
};

let loaded: SqliteModule | null | undefined;
/** `node:sqlite`, loaded on first use (Node >= 22.5; OpenClaw's users run 24), else null. */
function sqlite(): SqliteModule | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('node:sqlite') as SqliteModule;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * Runs `read` against the state dir's database, opened read-only, then closes it. The file must
 * be a regular file of this user (never a symlink, FIFO or another user's file).
 */
export function readStateDb<T>(stateDir: string, read: (db: Database) => T): SqliteRead<T> {
  const path = stateDbPath(stateDir);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return { ok: false, reason: 'no database yet' };
  }
  if (!stat.isFile()) return { ok: false, reason: `${path} is not a regular file` };
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    return { ok: false, reason: `${path} belongs to another user` };
  }
  const mod = sqlite();
  if (!mod) return { ok: false, reason: `node:sqlite is not available on Node ${process.version}` };
  let db: (Database & { open(): void }) | null = null;
  try {
    db = new mod.DatabaseSync(path, { readOnly: true, timeout: BUSY_TIMEOUT_MS, open: false });
    db.open();
    return { ok: true, value: read(db) };
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  } finally {
    try {
      db?.close();
    } catch {
      // not open
    }
  }
}

/** Whether the database has a table (OpenClaw creates `update_runs` with the first update). */
export function hasTable(db: Database, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").all(name).length > 0
  );
}
