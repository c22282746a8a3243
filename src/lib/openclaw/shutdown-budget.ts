import type { Config } from '../config/load.js';
import type { ShutdownBudget } from '../decide/openclaw/custody.js';
import { callGateway } from '../probe/rpc.js';

/** The reason OpenClaw's RPCs give while an update suspends the gateway (§11.2). */
export const SUSPENDING = 'gateway-suspending';

export type BudgetRead =
  { ok: true; budget: ShutdownBudget } | { ok: false; code: string; suspended: boolean };

const RPC_TIMEOUT_MS = 5000;

const count = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;

/**
 * The `status` RPC's `shutdownBudget` (scope operator.read): the SIGTERM budget, the active work
 * and the write custody, nested in it (§11.3). Errors are data: NO_TOKEN, CLOSED, TIMEOUT, or
 * UNAVAILABLE with `suspended` when an update suspends the gateway.
 */
export async function readShutdownBudget(config: Config): Promise<BudgetRead> {
  const [answer] = await callGateway(config, [{ method: 'status', params: {} }], {
    scopes: ['operator.read'],
    timeoutMs: RPC_TIMEOUT_MS,
  });
  if (!answer) return { ok: false, code: 'ERROR', suspended: false };
  if (!answer.ok) return { ok: false, code: answer.code, suspended: answer.reason === SUSPENDING };
  return { ok: true, budget: parseBudget(answer.payload.shutdownBudget) };
}

/** Parses `shutdownBudget` (absent before 2026.9.6: no custody known, OpenClaw's defaults). Pure. */
export function parseBudget(raw: unknown): ShutdownBudget {
  const b = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const custody = Array.isArray(b.writeCustody) ? b.writeCustody : [];
  const work = (
    typeof b.activeWork === 'object' && b.activeWork !== null ? b.activeWork : {}
  ) as Record<string, unknown>;
  return {
    known: typeof raw === 'object' && raw !== null,
    timeoutMs: count(b.timeoutMs) || DEFAULT_TIMEOUT_MS,
    reserveMs: count(b.reserveMs) || DEFAULT_RESERVE_MS,
    writeCustody: custody.slice(0, 16).flatMap((c: unknown) => {
      const e = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
      const phase = typeof e.phase === 'string' ? e.phase.slice(0, 48) : null;
      return phase ? [{ phase, count: count(e.count) || 1 }] : [];
    }),
    activeWork: Object.fromEntries(
      Object.entries(work)
        .slice(0, 16)
        .map(([k, v]) => [k.slice(0, 48), count(v)]),
    ),
  };
}

/** OpenClaw 2026.9.6's SIGTERM budget (drain 315 s + reserve 10 s) and its reserve. */
export const DEFAULT_TIMEOUT_MS = 325_000;
export const DEFAULT_RESERVE_MS = 10_000;
