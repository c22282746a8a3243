import type { State } from '../../store/state.js';
import { reached } from '../cadence.js';
import type { DecideSettings } from '../types.js';

/** The longest a healthy check waits between two orphan passes. */
export const ORPHAN_SCAN_MAX_SEC = 60;

/**
 * How often a healthy check looks for orphans: an orphan qualifies only once it is
 * `orphans.minAgeSec` old, so a pass every min(60 s, minAgeSec / 4) reaps each one at most a
 * quarter of its minimum age (or a minute) late, and spares the /proc walk on the checks between.
 * minAgeSec 0: every check.
 */
export function orphanScanEverySec(settings: DecideSettings): number {
  return Math.min(ORPHAN_SCAN_MAX_SEC, settings.orphans.minAgeSec / 4);
}

/** A healthy check's orphan pass is due: none recorded yet, the interval has passed, or the
 * clock went back past the last one. Pure. */
export function orphanScanDue(
  settings: DecideSettings,
  state: State,
  now: number,
  slackMs = 0,
): boolean {
  const last = state.orphansScannedAt;
  // Stryker disable next-line ConditionalExpression: a null `last` is due either way (reached from 0 is always reached): the check only narrows the type
  if (last === null) return true;
  if (now < last) return true;
  return reached(now, last, orphanScanEverySec(settings) * 1000, slackMs);
}
