/** What OpenClaw 2026.9.6 puts in each suppressed account's lastError (dist run-*.mjs beginBoot). */
export const BREAKER_ERROR = 'gateway restart-loop breaker tripped';

/** An account stopped by OpenClaw's crash-loop breaker, not by the user (its lastError says so). */
export const isBreakerStopped = (lastError: string | null): boolean =>
  lastError?.startsWith(BREAKER_ERROR) === true;
