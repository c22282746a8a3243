import type { BootLedger, BootRow } from '../../../../src/lib/openclaw/boot-ledger.js';
import type { Observation } from '../../../../src/lib/decide/types.js';
import { sec } from '../scenario.js';

/** One boot row at `at` s of the scenario clock. */
export const row = (at: number, over: Partial<BootRow> = {}): BootRow => ({
  bootId: `boot-${at}`,
  pid: 4242,
  startedAtMs: sec(at),
  completedAtMs: null,
  outcome: null,
  startupReason: null,
  reason: null,
  ...over,
});

/** The ledger a check reads: `unclean` open rows started at those seconds (each leaves 300 s
 * later), the last boot, the breaker marker. */
export function ledger(
  unclean: BootRow[],
  { last = unclean.at(-1) ?? null, breakerAt = null as number | null } = {},
): Observation['bootLedger'] {
  const counted = unclean
    .map((r) => ({
      bootId: r.bootId,
      pid: r.pid,
      startedAtMs: r.startedAtMs,
      leavesAtMs: (r.completedAtMs ?? r.startedAtMs) + 300_000,
    }))
    .sort((a, b) => a.leavesAtMs - b.leavesAtMs);
  const value: BootLedger = {
    uncleanBoots: counted.length,
    uncleanLeaveAtMs: counted.map((c) => c.leavesAtMs),
    unclean: counted,
    last,
    breakerTripped: breakerAt !== null,
    breakerSinceMs: breakerAt === null ? null : sec(breakerAt),
  };
  return { ok: true, value };
}
