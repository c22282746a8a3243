/**
 * Cron's real cadence. Checks run every 30 s, but never exactly: cron starts a job up to a
 * second late, node takes 0.1–1 s to start, and the probe takes up to its timeout (a hung gateway
 * the whole 5 s). A limit that is a multiple of 30 s (probe.hungAfterSec 60, memory.sustainSec
 * 120, channels.downAfterSec 600, the backoff's 60, 120 … s) measured between two checks is then
 * missed by a fraction of a second, and acted on one whole check later (a hang of 59.5 s acted on
 * at 89.5 s). So every limit measured between checks is taken as reached `slack` early, where
 * the slack is a share of the gap since the previous check, capped: 3 s on a 30 s cadence, 0.1 s
 * when checks come a second apart. A faster cadence never acts more than a tenth of its own
 * interval early; a first check (no previous one) has no slack. Pure.
 */

/** The most a limit is taken as reached early. */
export const CADENCE_SLACK_MAX_MS = 3000;
/** The share of the gap between two checks that counts as their jitter. */
export const CADENCE_SLACK_SHARE = 0.1;

/** The slack of a check at `now` whose previous check was at `previousAt` (null: none). */
export function cadenceSlackMs(previousAt: number | null, now: number): number {
  // Stryker disable next-line EqualityOperator: at now === previousAt the share of a 0 ms gap is 0 too
  if (previousAt === null || now <= previousAt) return 0;
  return Math.min(CADENCE_SLACK_MAX_MS, (now - previousAt) * CADENCE_SLACK_SHARE);
}

/** `limitMs` has passed between `since` and `now`, allowing the cadence's slack. */
export function reached(now: number, since: number, limitMs: number, slackMs: number): boolean {
  return now - since + slackMs >= limitMs;
}
