import { readRegular } from './regular-file.js';
import { errorCode, errorMessage } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import type { WatchdogEvent } from './event-types.js';

/** One alert a channel has not taken yet. Its event is redacted already. */
export interface Queued {
  id: string;
  /** The channel's key (a hash, never a secret). */
  channel: string;
  event: WatchdogEvent;
  /** When it happened (epoch ms). */
  at: number;
  /** When it was first queued. */
  queuedAt: number;
}

/** A channel whose last attempt failed: when the checks try it again. */
export interface ChannelRetry {
  label: string;
  failures: number;
  nextAttemptAt: number;
  error: string;
}

/**
 * Alerts that could not be delivered yet: `<watchdog dir>/outbox.json`, 0600, replaced atomically,
 * read without following a symlink. Each channel's alerts in the order they happened.
 */
export interface Outbox {
  version: 1;
  alerts: Queued[];
  retry: Record<string, ChannelRetry>;
  /** Alerts dropped since the outbox began (full, too old, channel gone). */
  dropped: number;
}

export const emptyOutbox = (): Outbox => ({ version: 1, alerts: [], retry: {}, dropped: 0 });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function validQueued(v: unknown): v is Queued {
  return (
    isRecord(v) &&
    typeof v.id === 'string' &&
    typeof v.channel === 'string' &&
    isRecord(v.event) &&
    typeof v.event.event === 'string' &&
    isTime(v.at) &&
    isTime(v.queuedAt)
  );
}

function validRetry(v: unknown): v is ChannelRetry {
  return (
    isRecord(v) &&
    typeof v.label === 'string' &&
    typeof v.error === 'string' &&
    isTime(v.failures) &&
    isTime(v.nextAttemptAt)
  );
}

/** `unreadable`: queued alerts dropped on load (malformed, or of an event this build lacks), counted in `dropped`. */
export type LoadedOutbox = { outbox: Outbox; problem: string | null; unreadable: number };

/**
 * Reads the outbox; missing is empty, a torn or foreign one is replaced (and said), bad entries go
 * (counted as dropped): malformed ones, and those whose event `known` refuses (another version's).
 */
export function loadOutbox(
  file: string,
  known: (event: string) => boolean = () => true,
): LoadedOutbox {
  const empty = (problem: string | null): LoadedOutbox => ({
    outbox: emptyOutbox(),
    problem,
    unreadable: 0,
  });
  let text: string;
  try {
    text = readRegular(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return empty(null);
    return empty(`unreadable: ${errorMessage(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return empty('not valid JSON (torn write?)');
  }
  if (!isRecord(raw) || raw.version !== 1 || !Array.isArray(raw.alerts))
    return empty('unknown outbox version');
  const alerts = raw.alerts.filter((a) => validQueued(a) && known(a.event.event));
  const retry = Object.fromEntries(
    Object.entries(isRecord(raw.retry) ? raw.retry : {}).filter(([, r]) => validRetry(r)),
  ) as Record<string, ChannelRetry>;
  const bad = raw.alerts.length - alerts.length;
  const dropped = (isTime(raw.dropped) ? raw.dropped : 0) + bad;
  return { outbox: { version: 1, alerts, retry, dropped }, problem: null, unreadable: bad };
}

export function saveOutbox(file: string, outbox: Outbox): void {
  writeFileAtomic(file, `${JSON.stringify(outbox)}\n`);
}
