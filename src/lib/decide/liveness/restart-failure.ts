import type { RestartOutcome } from './after-restart.js';

/** OpenClaw's exit code for configuration trouble (§5): restarting will not fix it. */
export const CONFIG_EXIT = 78;
const CONFIG_HINT =
  'exit 78: OpenClaw configuration trouble (invalid config, missing gateway.mode, state dir owned by another gateway); restarting will not fix it';
/** `gateway run` without `gateway.mode` in openclaw.json (started by hand with --allow-unconfigured). */
const UNCONFIGURED = /Missing config|missing gateway\.mode/i;
const UNCONFIGURED_HINT =
  'exit 78: openclaw.json has no gateway.mode (the gateway was started with --allow-unconfigured?): set restart.command in the watchdog config to the exact command you start it with, e.g. ["openclaw", "gateway", "run", "--allow-unconfigured", "--port", "<port>"], or run `openclaw setup`';

/** Another OpenClaw process (a gateway, or doctor at its SQLite work) owns the state dir, and the
 * start needed a state migration: exit 78, "Doctor could not enter maintenance.
 * StateDatabaseCoordinatorContentionError: another OpenClaw process owns gateway-lifecycle …
 * requires state migration" (§5, §11.2; a fresh state dir started while doctor holds the lock). */
const OWNED = /owns gateway-lifecycle|maintenance_required|could not enter maintenance/i;
const OWNED_HINT =
  'exit 78: another OpenClaw process (a gateway, or doctor at its SQLite work) owns the state dir and this start needs a state migration: it starts once that process is done (`openclaw gateway status --deep` shows what holds the state lock)';

/** What a failed restart says about itself (a RestartOutcome, or its restart_failed event). */
export type FailureFacts = {
  method: string;
  exitCode?: number | null;
  signal?: string | null;
  error?: string;
  output?: string;
};

/** What to do about a failed restart, when the exit code or output says. Pure. */
export function restartHint(outcome: Pick<RestartOutcome, 'exitCode' | 'output'>): string | null {
  if (outcome.exitCode !== CONFIG_EXIT) return null;
  // Stryker disable next-line StringLiteral: any text the pattern does not match gives the same hint as no output
  const output = outcome.output ?? '';
  if (OWNED.test(output)) return OWNED_HINT;
  return UNCONFIGURED.test(output) ? UNCONFIGURED_HINT : CONFIG_HINT;
}

/** The last line the gateway printed (its output is already redacted). */
export const lastLine = (output: string | undefined): string =>
  (output ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1)
    ?.slice(0, 300) ?? '';

/**
 * One line saying how a restart failed, for the check's line (cron mails it), the heartbeat and
 * the alert: the failure itself (exit code or signal, or why nothing ran) and the gateway's last
 * output line, not the symptom the check started from. Pure.
 */
export function restartFailureLine(outcome: FailureFacts): string {
  const how = outcome.signal
    ? `killed by ${outcome.signal}`
    : outcome.exitCode !== null && outcome.exitCode !== undefined
      ? `exit ${outcome.exitCode}`
      : null;
  const what = [how, outcome.error].filter(Boolean).join(', ') || 'no answer';
  const last = lastLine(outcome.output);
  return `restart failed (${outcome.method}): ${what}${last ? `: ${last}` : ''}`;
}
