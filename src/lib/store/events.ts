import { openRegular } from './regular-file.js';
import { closeSync, fstatSync, lstatSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactDeep, redactText } from '../redact.js';
import { withAppendLock } from './append-lock.js';
import { APPEND_NOFOLLOW, ensurePrivateDir, openNoFollow } from './atomic.js';

import type { Level } from './event-types.js';

export type { EventName, EventOf, Level, WatchdogEvent } from './event-types.js';

/** What the log stores: any event (a WatchdogEvent, or one of an older version read back). */
export type LogEntry = { level: Level; event: string; at?: number; [detail: string]: unknown };

export interface EventLogOptions {
  maxBytes: number;
  maxFiles: number;
  /** Strings that must never reach the log (tokens, webhook URLs). */
  secrets: string[];
}

/** Replaces every secret (and anything shaped like a key) in a string with <redacted>. */
export function redact(text: string, secrets: string[]): string {
  return redactText(text, secrets);
}

/**
 * Appends events as JSON lines to `<state dir>/watchdog/events.jsonl`, rotating by size. Each line
 * is stamped when what it says happened (`at`, else `now`), but never earlier than the line before
 * it (the log's last line, read first, under the append lock: append-lock.ts): the log's `ts`
 * never decreases. A check that held the lock while another logged `lock_busy` thus stamps its
 * earlier lines with that line's time.
 */
export function appendEvents(
  file: string,
  events: readonly LogEntry[],
  now: number,
  options: EventLogOptions,
): string[] {
  if (events.length === 0) return [];
  ensurePrivateDir(dirname(file));
  return withAppendLock(file, () => appendInOrder(file, events, now, options));
}

function appendInOrder(
  file: string,
  events: readonly LogEntry[],
  now: number,
  options: EventLogOptions,
): string[] {
  let floor = lastStamp(file);
  rotateIfNeeded(file, options);
  const lines = events.map((e) => {
    const { level, event, at, ...details } = e;
    floor = Math.max(at ?? now, floor);
    const ts = new Date(floor).toISOString();
    // Redacted before encoding: a secret holding `"` or `\\` would not match once escaped.
    return JSON.stringify(redactDeep({ ts, level, event, ...details }, options.secrets));
  });
  // Never through a symlink planted at the log's name (O_NOFOLLOW: ELOOP instead).
  const fd = openNoFollow(file, APPEND_NOFOLLOW);
  try {
    writeSync(fd, `${lines.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** The `ts` of the log's last line in epoch ms; -Infinity when there is none (or it is torn). */
function lastStamp(file: string): number {
  const [line] = tailLines(file, 1);
  if (line === undefined) return -Infinity;
  try {
    const ts = Date.parse(String((JSON.parse(line) as { ts?: unknown }).ts));
    return Number.isFinite(ts) ? ts : -Infinity;
  } catch {
    return -Infinity;
  }
}

function rotateIfNeeded(file: string, { maxBytes, maxFiles }: EventLogOptions): void {
  let size = 0;
  try {
    size = lstatSync(file).size;
  } catch {
    return;
  }
  if (size < maxBytes) return;
  // events.jsonl -> .1 -> .2 ...; maxFiles counts the live file too.
  rmSync(`${file}.${maxFiles - 1}`, { force: true });
  for (let i = maxFiles - 2; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    } catch {
      // that generation does not exist yet
    }
  }
  if (maxFiles > 1) renameSync(file, `${file}.1`);
  else rmSync(file, { force: true });
}

/** The last `n` events of the log, parsed (unparseable lines and non-objects skipped). */
export function readRecentEvents(file: string, n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of tailLines(file, n)) {
    try {
      const event: unknown = JSON.parse(line);
      if (event !== null && typeof event === 'object' && !Array.isArray(event))
        out.push(event as Record<string, unknown>);
    } catch {
      // a torn last line
    }
  }
  return out;
}

/** The last `n` non-empty lines of a file, reading only its end (backwards, in growing chunks). */
export function tailLines(file: string, n: number): string[] {
  let fd: number;
  try {
    fd = openRegular(file);
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    let start = size;
    let chunk = 64 * 1024;
    let text = Buffer.alloc(0);
    let lines = 0;
    while (start > 0 && lines <= n) {
      const from = Math.max(0, start - chunk);
      const buffer = Buffer.alloc(start - from);
      readSync(fd, buffer, 0, buffer.length, from);
      text = Buffer.concat([buffer, text]);
      lines += buffer.reduce((count, byte) => count + (byte === 10 ? 1 : 0), 0);
      start = from;
      chunk *= 2;
    }
    const all = text.toString('utf8').split('\n');
    if (start > 0) all.shift(); // a partial first line
    return all.filter((l) => l.trim()).slice(-n);
  } finally {
    closeSync(fd);
  }
}
