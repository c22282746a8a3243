import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/load.js';
import { custodyText, custodyVerdict, type ShutdownBudget } from '../decide/openclaw/custody.js';
import { readShutdownBudget } from '../openclaw/shutdown-budget.js';
import type { ProbeResult } from '../probe/types.js';
import type { WatchdogEvent } from '../store/event-types.js';

export interface CustodyContext {
  probe: () => Promise<ProbeResult>;
  now: () => number;
  say: (line: string) => void;
  /** False once another check took the lock over: the wait ends, nothing is stopped. */
  stillOwner?: () => boolean;
  /** Between `status` reads while custody is held (tests shorten it). */
  pollMs?: number;
}

export interface CustodyWait {
  /** The stop may go on. */
  go: boolean;
  /** The last shutdown budget read (null: not read: no token, or the RPC failed). */
  budget: ShutdownBudget | null;
  /** `write_custody`, when custody was held at some point. */
  event: WatchdogEvent | null;
}

const POLL_MS = 2000;

const answers = (p: ProbeResult) => p.verdict === 'healthy' || p.verdict === 'starting';

/**
 * Before a stop of a gateway that still answers (memory, channel escalation): reads `status` →
 * shutdownBudget.writeCustody, and while custody is held (backup, migration) waits, reading again
 * every 2 s, up to restart.custodyWaitSec (decide/openclaw/custody.ts). A read that fails after
 * custody was seen counts as released only when the gateway no longer answers its probes.
 */
export async function awaitCustody(config: Config, ctx: CustodyContext): Promise<CustodyWait> {
  const maxMs = config.settings.restart.custodyWaitSec * 1000;
  const pollMs = ctx.pollMs ?? POLL_MS;
  const t0 = ctx.now();
  let budget: ShutdownBudget | null = null;
  let held: ShutdownBudget['writeCustody'] | null = null;
  for (;;) {
    const read = await readShutdownBudget(config);
    if (read.ok) budget = read.budget;
    let custody = read.ok ? read.budget.writeCustody : null;
    // Custody seen, then no answer: still held unless the gateway stopped answering altogether.
    const silent = !read.ok && held !== null && !answers(await ctx.probe());
    if (!read.ok && held !== null && !silent) custody = held;
    const waitedMs = ctx.now() - t0;
    const verdict = custodyVerdict(custody, waitedMs, maxMs);
    const done = (outcome: 'released' | 'gave_up' | 'not_answering'): WatchdogEvent | null =>
      held && {
        level: outcome === 'gave_up' ? 'warn' : 'info',
        event: 'write_custody',
        at: ctx.now(),
        phases: custodyText(held),
        waitedSec: Math.round(waitedMs / 1000),
        outcome,
      };
    if (verdict === 'proceed')
      return { go: true, budget, event: done(silent ? 'not_answering' : 'released') };
    if (held === null) ctx.say(`stop: write custody held (${custodyText(custody!)}); waiting`);
    held = custody!;
    if (verdict === 'give-up' || (ctx.stillOwner && !ctx.stillOwner()))
      return { go: false, budget, event: done('gave_up') };
    await sleep(pollMs);
  }
}
