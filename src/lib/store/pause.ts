import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { readRegular } from './regular-file.js';

/** A maintenance window: `<watchdog dir>/pause.json`, written only by pause/resume, read by checks. */
export interface Pause {
  since: number;
  until: number;
  reason: string | null;
}

export const pauseFile = (watchdogDir: string) => join(watchdogDir, 'pause.json');

export function readPause(watchdogDir: string): Pause | null {
  try {
    const raw = JSON.parse(readRegular(pauseFile(watchdogDir))) as Partial<Pause>;
    if (typeof raw.until !== 'number' || typeof raw.since !== 'number') return null;
    if (Number.isNaN(raw.until) || Number.isNaN(raw.since)) return null;
    // A hand-written `until` past the last valid date (or 1e999 → Infinity) means "until resumed".
    return {
      since: clampTime(raw.since),
      until: clampTime(raw.until),
      reason: typeof raw.reason === 'string' ? raw.reason : null,
    };
  } catch {
    return null;
  }
}

/** The latest time a Date can hold (8.64e15 ms): later values throw RangeError when printed. */
export const MAX_TIME = 8.64e15;
const clampTime = (t: number) => Math.max(-MAX_TIME, Math.min(MAX_TIME, t));

export function writePause(watchdogDir: string, pause: Pause): void {
  writeFileAtomic(pauseFile(watchdogDir), `${JSON.stringify(pause)}\n`);
}

export function clearPause(watchdogDir: string): boolean {
  const had = readPause(watchdogDir) !== null;
  rmSync(pauseFile(watchdogDir), { force: true });
  return had;
}

/** `30s`, `30m`, `2h`, `1d` → seconds; null when it is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
