import { appendFileSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { ensurePrivateDir } from './atomic.js';
import { dirname } from 'node:path';

export type Level = 'info' | 'warn' | 'error';

/** One event as decided by the core; `ts` is added when it is written. */
export interface WatchdogEvent {
  level: Level;
  event: string;
  /** When it happened (epoch ms); the time of writing when absent. */
  at?: number;
  [detail: string]: unknown;
}

export interface EventLogOptions {
  maxBytes: number;
  maxFiles: number;
  /** Strings that must never reach the log (tokens, webhook URLs). */
  secrets: string[];
}

/** Replaces every secret in a string with <redacted>. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('<redacted>');
  return out;
}

/** Appends events as JSON lines to `<state dir>/watchdog/events.jsonl`, rotating by size. */
export function appendEvents(
  file: string,
  events: WatchdogEvent[],
  now: number,
  options: EventLogOptions,
): string[] {
  if (events.length === 0) return [];
  ensurePrivateDir(dirname(file));
  rotateIfNeeded(file, options);
  const lines = events.map((e) => {
    const { level, event, at, ...details } = e;
    const ts = new Date(at ?? now).toISOString();
    return redact(JSON.stringify({ ts, level, event, ...details }), options.secrets);
  });
  appendFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return lines;
}

function rotateIfNeeded(file: string, { maxBytes, maxFiles }: EventLogOptions): void {
  let size = 0;
  try {
    size = statSync(file).size;
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

/** The last `n` events of the log, parsed (unparseable lines skipped). */
export function readRecentEvents(file: string, n: number): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: Record<string, unknown>[] = [];
  for (const line of text.trim().split('\n').slice(-n)) {
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a torn last line
    }
  }
  return out;
}
