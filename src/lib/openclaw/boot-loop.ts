// OpenClaw's crash-loop breaker constants (§11.1 of the gateway facts), apart from the ledger's
// SQLite reader (boot-ledger.ts) so the pure core (decide/openclaw/) imports them without loading
// the adapter on a healthy check.

/** OpenClaw's GATEWAY_BOOT_LOOP_WINDOW_MS and GATEWAY_BOOT_LOOP_UNCLEAN_THRESHOLD. */
export const BOOT_LOOP_WINDOW_MS = 300_000;
export const BOOT_LOOP_UNCLEAN_THRESHOLD = 3;
export const CRASH_LOOP_BREAKER_REASON = 'gateway.crash_loop_breaker';
export const CRASH_LOOP_RECOVERED_REASON = 'gateway.crash_loop_recovered';
