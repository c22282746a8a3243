import type { CheckReport } from '../check-report.js';
import type { EventName } from '../store/event-types.js';

/** The events that make a check print its line: it did something to the gateway, or it wanted
 * to and could not (each of the latter is said once per incident). */
const SAID: Record<'did' | 'could_not', readonly EventName[]> = {
  did: ['gateway_stopped', 'gateway_restart', 'channel_restart'],
  could_not: ['restart_failed', 'restart_impossible', 'port_conflict', 'crash_loop', 'lock_lost'],
};
const PRINTS: ReadonlySet<string> = new Set([...SAID.did, ...SAID.could_not]);

/**
 * What a check prints (cron mails any output), one rule: one line on stderr when the check did
 * something to the gateway (stopped it, started or restarted it, restarted a channel account), or
 * wanted to and could not (the restart failed or is impossible, another process holds the port,
 * a crash loop, another check took the lock over). Nothing otherwise: a healthy check, one that
 * waits (starting, unresponsive but not yet hung, a restart held by backoff), a stop the user
 * meant, alerts about memory, disk or channels (they go to the alert channels). A paused check
 * prints nothing. So a hang mails once (the check that stops and restarts it), as a crash a
 * restart fixed does. Pure.
 */
export function checkLine(report: CheckReport): string | null {
  if (report.paused || report.dryRun) return null;
  const acted = report.restart !== undefined || report.stop !== undefined;
  if (!acted && !report.events.some((e) => PRINTS.has(e.event))) return null;
  return `openclaw-watchdog: ${report.status}: ${report.detail}${outcome(report)}`;
}

/** How the restart went, when one was carried out and did not fail (a failure is in the detail). */
function outcome(report: CheckReport): string {
  const r = report.restart;
  if (!r || r.result === 'failed') return '';
  const took = ((r.endedAt - r.startedAt) / 1000).toFixed(1);
  const pid = r.pid ? `, pid ${r.pid}` : '';
  return r.result === 'healthy'
    ? `; restarted (${r.method}${pid}), healthy after ${took} s`
    : `; restarted (${r.method}${pid}), still starting after ${took} s`;
}
