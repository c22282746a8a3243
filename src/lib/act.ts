import type { ActReport } from './check-report.js';
import type { Config } from './config/load.js';
import { killsOrSpawns, lockLost } from './decide/actions.js';
import type { RestartsBefore } from './decide/liveness/restart-impossible.js';
import type { Action } from './decide/types.js';
import type { Observed } from './observe.js';
import type { ProbeOptions } from './probe/index.js';
import type { ProbeResult } from './probe/types.js';
import type { WatchdogEvent } from './store/event-types.js';
import type { State } from './store/state.js';
import type { Journal } from './journal.js';
import { Run } from './act/run.js';

export type Probe = (options: ProbeOptions) => Promise<ProbeResult>;

export interface ActContext {
  obs: Observed;
  now: () => number;
  say: (line: string) => void;
  /** Consulted right before every kill or spawn: false once another check took the lock over. */
  stillOwner?: () => boolean;
  /** The probe verify uses (the real one unless a test injects another). */
  probe?: Probe;
  /** What was done so far, after each action (`note`) and once a gateway was started or its
   * in-place restart request accepted, before verify waits for it (`started`): the check writes
   * that down at once (journal.ts). */
  journal?: Pick<Journal, 'note' | 'started'>;
  /** The restart bookkeeping before this check decided: restored when no start is possible. */
  before?: RestartsBefore;
}

export interface ActResult {
  state: State;
  events: WatchdogEvent[];
  exitCode: 0 | 1 | null;
  report: ActReport;
  /** The check lock was taken over before an action: nothing more was done. */
  lockLost: boolean;
  /** How a restart failed, or why none was possible: the check says it after its detail. */
  detail?: string;
}

/**
 * Carries out the actions in order (stop, reap or report orphans, restart and verify); what each
 * did is folded into the state and events by decide/. Decides nothing.
 */
export async function act(
  config: Config,
  actions: Action[],
  initial: State,
  ctx: ActContext,
): Promise<ActResult> {
  const run = new Run(config, initial, ctx);
  for (const [i, action] of actions.entries()) {
    if (killsOrSpawns(action) && ctx.stillOwner && !ctx.stillOwner()) {
      // We were stalled and another check took over: it decides now, we must not kill or spawn.
      run.events.push(lockLost(actions.slice(i), ctx.now()));
      return run.result(true);
    }
    await run.carryOut(action);
    if (run.lost) return run.result(true);
    ctx.journal?.note({ state: run.state, events: run.events });
  }
  return run.result(false);
}
