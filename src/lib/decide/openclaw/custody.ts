/** The `status` RPC's shutdownBudget (§11.3 of the gateway facts; nested: activeWork and
 * writeCustody are inside it). */
export interface ShutdownBudget {
  /** The payload had a shutdownBudget (2026.9.6); false: OpenClaw's defaults stand in. */
  known: boolean;
  /** The SIGTERM budget: drain + reserve (325 000 ms on 2026.9.6). */
  timeoutMs: number;
  reserveMs: number;
  /** `[{phase, count}]`: backup, migration, session-mutation, terminal-persistence. */
  writeCustody: { phase: string; count: number }[];
  activeWork: Record<string, number>;
}

/**
 * Before stopping a gateway that still answers: its write custody. Unknown custody (no token, the
 * RPC failed) does not hold the stop back: SIGTERM drains, and a gateway that does not answer the
 * RPC is judged by the stop's own rule (clean-stop.ts). Custody held → wait, up to
 * restart.custodyWaitSec; still held then → give up this stop (nothing is stopped). Pure.
 */
export function custodyVerdict(
  custody: ShutdownBudget['writeCustody'] | null,
  waitedMs: number,
  maxWaitMs: number,
): 'proceed' | 'wait' | 'give-up' {
  if (custody === null || custody.length === 0) return 'proceed';
  return waitedMs < maxWaitMs ? 'wait' : 'give-up';
}

/** The phases held, as a log shows them: `backup (1), migration (2)`. Pure. */
export const custodyText = (custody: ShutdownBudget['writeCustody']): string =>
  custody.map((c) => `${c.phase} (${c.count})`).join(', ');
