import { BOOT_LOOP_UNCLEAN_THRESHOLD } from '../../openclaw/boot-loop.js';
import { iso } from '../../units.js';
import { waiting, type Step } from '../step.js';
import type { Decision, RestartReason } from '../types.js';

/**
 * Before a start the watchdog makes, OpenClaw's boot ledger: at 3 unclean boots in its 300 s
 * window the next boot comes up in safe mode (channels suppressed for 300-660 s). When the
 * gateway is merely down (nothing of ours runs), waiting until the oldest of them leaves the
 * window (at most 300 s) keeps the next boot clean: the start waits (`waiting` breaker_window).
 * Null: go on (no ledger, an unreadable one fails open as OpenClaw's own breaker does, or fewer
 * than 3).
 */
export function holdForBreaker(step: Step): Decision | null {
  const read = step.obs.bootLedger;
  if (!read?.ok) return null;
  const { uncleanBoots, uncleanLeaveAtMs } = read.value;
  // Stryker disable next-line ConditionalExpression: below the threshold the index below is negative, so `leaves` is undefined: the same null
  if (uncleanBoots < BOOT_LOOP_UNCLEAN_THRESHOLD) return null;
  // Below the threshold once this many rows have left.
  const leaves = uncleanLeaveAtMs[uncleanBoots - BOOT_LOOP_UNCLEAN_THRESHOLD];
  if (leaves === undefined || leaves <= step.now) return null;
  const detail = `gateway down with ${uncleanBoots} unclean boots in OpenClaw's 300 s window: a start now would come up in its safe mode (channels suppressed); starting at ${iso(leaves)}`;
  return waiting(step, 'breaker_window', detail, 1);
}

/**
 * A start that goes ahead with unclean boots in the ledger says so (`start_near_breaker`): at 2,
 * one more death trips the breaker; at 3 or more (a gateway that does not answer must be
 * stopped: waiting helps nothing) the boot comes up in safe mode.
 */
export function noteStartNearBreaker(step: Step, decision: Decision, reason: RestartReason): void {
  if (!decision.actions.some((a) => a.type === 'restart')) return;
  const read = step.obs.bootLedger;
  if (!read?.ok) return;
  const { uncleanBoots, uncleanLeaveAtMs } = read.value;
  if (uncleanBoots < BOOT_LOOP_UNCLEAN_THRESHOLD - 1) return;
  const clearsAt = iso(Math.max(step.now, ...uncleanLeaveAtMs));
  decision.events.push({
    level: 'warn',
    event: 'start_near_breaker',
    uncleanBoots,
    reason,
    clearsAt,
  });
}
