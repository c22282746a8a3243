import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';
import type { WatchdogEvent } from './event-types.js';

/**
 * Counters the metrics show that state.json has no room for (its size is fixed):
 * `<watchdog dir>/counters.json`, 0600, replaced atomically, written only by a check that counted
 * something (a quiet healthy check never touches it). They only go up: a gateway or watchdog
 * restart keeps them; a lost or torn file starts again from 0 (Prometheus reads that as a reset).
 */
export interface Counters {
  version: 1;
  /** Gateway restarts the watchdog started, by reason (`gateway_restart` events). */
  restarts: Record<string, number>;
  /** Notifications that failed, by kind: `notify` (an alert channel), `heartbeat`. */
  notifyFailures: Record<string, number>;
}

export const emptyCounters = (): Counters => ({ version: 1, restarts: {}, notifyFailures: {} });

/** Kinds and reasons are short words from this program; anything else in the file is dropped. */
const KEY = /^[a-z_]{1,32}$/;
const MAX_KEYS = 16;
const MAX_BYTES = 4096;

const counts = (v: unknown): Record<string, number> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v).slice(0, MAX_KEYS))
    if (KEY.test(k) && Number.isSafeInteger(n) && (n as number) >= 0) out[k] = n as number;
  return out;
};

/** Reads the counters: missing, torn, foreign or oversized is empty. Never follows a symlink. */
export function loadCounters(file: string): Counters {
  let text: string;
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return emptyCounters();
      const buf = Buffer.alloc(MAX_BYTES + 1);
      const n = readSync(fd, buf, 0, buf.length, 0);
      if (n > MAX_BYTES) return emptyCounters();
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return emptyCounters(); // missing (no count yet), or unreadable: counted again from 0
  }
  try {
    const raw = JSON.parse(text) as Record<string, unknown> | null;
    if (!raw || raw.version !== 1) return emptyCounters();
    return {
      version: 1,
      restarts: counts(raw.restarts),
      notifyFailures: counts(raw.notifyFailures),
    };
  } catch {
    return emptyCounters();
  }
}

/** The counters after these events, or null when none of them counts (nothing to write). Pure. */
export function countEvents(counters: Counters, events: WatchdogEvent[]): Counters | null {
  const next: Counters = {
    version: 1,
    restarts: { ...counters.restarts },
    notifyFailures: { ...counters.notifyFailures },
  };
  let changed = false;
  const bump = (m: Record<string, number>, key: string) => {
    if (!KEY.test(key) || (!(key in m) && Object.keys(m).length >= MAX_KEYS)) return;
    m[key] = (m[key] ?? 0) + 1;
    changed = true;
  };
  for (const e of events) {
    if (e.event === 'gateway_restart') bump(next.restarts, e.reason);
    else if (e.event === 'notify_failed') bump(next.notifyFailures, 'notify');
    else if (e.event === 'heartbeat_failed') bump(next.notifyFailures, 'heartbeat');
  }
  return changed ? next : null;
}

export function saveCounters(file: string, counters: Counters): void {
  writeFileAtomic(file, `${JSON.stringify(counters)}\n`);
}

const COUNTED = new Set(['gateway_restart', 'notify_failed', 'heartbeat_failed']);

/**
 * Counts events into the file as they are logged (the final record, or a check's journal before
 * it: a check killed after a start still counts its restart). Reads nothing when none counts.
 */
export function countLogged(file: string, events: WatchdogEvent[]): void {
  if (!events.some((e) => COUNTED.has(e.event))) return;
  const next = countEvents(loadCounters(file), events);
  if (next) saveCounters(file, next);
}
