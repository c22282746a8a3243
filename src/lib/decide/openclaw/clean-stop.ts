/**
 * One look during a gateway's stop, after its SIGTERM (procs/stop-gateway.ts asks each second):
 * - it still answers (its HTTP probes answer: it drains) → wait, up to its own shutdown budget
 *   (status shutdownBudget.timeoutMs + reserveMs; OpenClaw forces its own stop at that deadline,
 *   `forced_stop`, a clean boot for its breaker). Past it and still answering → `leave`: never
 *   SIGKILL a gateway that answers; it is left running, said, and not started twice.
 * - it does not answer → SIGKILL once it has had `minWaitMs` since the SIGTERM and has not
 *   answered for `silentGraceMs` (a hung gateway: restart.stopTimeoutSec, as before).
 * Pure.
 */
export function stopVerdict(look: {
  answers: boolean;
  /** Since the SIGTERM. */
  sinceTermMs: number;
  /** Since it last answered (or since the SIGTERM, when it never did). */
  silentMs: number;
  minWaitMs: number;
  silentGraceMs: number;
  budgetMs: number;
}): 'wait' | 'kill' | 'leave' {
  if (look.answers) return look.sinceTermMs < look.budgetMs ? 'wait' : 'leave';
  if (look.sinceTermMs < look.minWaitMs || look.silentMs < look.silentGraceMs) return 'wait';
  return 'kill';
}
