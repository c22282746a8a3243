import { readTail } from '../logs/tail.js';

/** How much of the end of each log file is read: a restart that still holds the backoff is a few
 * lines back (the events of one check are a few hundred bytes each). */
export const LAST_RESTART_TAIL_BYTES = 16 * 1024;

/**
 * When the event log's last `gateway_restart` was stamped (epoch ms; its `ts` is the start of the
 * restart), or null when its last 16 KiB hold none. Evidence that survives a lost or reset
 * `state.json` (decide/liveness/backoff-floor.ts). The log is read as untrusted input (opened
 * O_NOFOLLOW | O_NONBLOCK, a regular file of this uid only, its end only: logs/tail.ts); a line
 * that is not a JSON object with a valid `ts` is skipped. `events.jsonl.1` is read too when the
 * live file holds none (it may have rotated right after the restart).
 */
export function lastRestartLogged(eventsFile: string): number | null {
  for (const file of [eventsFile, `${eventsFile}.1`]) {
    const lines = readTail(file, {
      maxBytes: LAST_RESTART_TAIL_BYTES,
      maxLines: 1000,
      ownerUid: process.getuid?.() ?? null,
    });
    if (!lines) continue;
    for (let i = lines.length - 1; i >= 0; i--) {
      const at = restartStamp(lines[i]!);
      if (at !== null) return at;
    }
  }
  return null;
}

function restartStamp(line: string): number | null {
  if (!line.includes('"gateway_restart"')) return null;
  try {
    const e = JSON.parse(line) as unknown;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return null;
    const { event, ts } = e as { event?: unknown; ts?: unknown };
    if (event !== 'gateway_restart' || typeof ts !== 'string') return null;
    const at = Date.parse(ts);
    return Number.isFinite(at) ? at : null;
  } catch {
    return null;
  }
}
