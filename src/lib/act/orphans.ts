import type { ActReport } from '../check-report.js';
import type { Config } from '../config/load.js';
import { afterOrphans } from '../decide/actions.js';
import type { ActionOf } from '../decide/types.js';
import { runOrphanAction } from '../orphans/action.js';
import { identityOf } from '../procs/facts.js';
import { lockHolderPid } from '../procs/gateway-lock.js';
import { findPortOwner } from '../procs/port-owner.js';
import type { WatchdogEvent } from '../store/event-types.js';
import type { State } from '../store/state.js';
import type { ActContext } from '../act.js';

/** What an orphan action did: its report, and the state and events decide/ folded from it. */
export interface OrphansDone {
  report: NonNullable<ActReport['orphans']>;
  state: State;
  events: WatchdogEvent[];
}

/** Reaps or reports orphans, sparing `livePids` (the live gateways), the port's owner and the
 * lock's holder. */
export async function carryOutOrphans(
  config: Config,
  action: ActionOf<'reap-orphans' | 'report-orphans'>,
  livePids: number[],
  state: State,
  ctx: Pick<ActContext, 'now' | 'say'>,
): Promise<OrphansDone> {
  const run = await runOrphanAction({
    settings: config.settings,
    minAgeSec: action.minAgeSec,
    graceSec: action.graceSec,
    livePids,
    portOwner:
      process.platform === 'linux' ? () => findPortOwner(config.port, config.host).pid : undefined,
    lockOwner: () => lockHolderPid(config.paths.stateDir, process.getuid?.() ?? 0),
    identity: identityOf(config),
    reportOnly: action.type === 'report-orphans',
  });
  const report = { found: run.found, reaped: run.reaped, survivors: run.survivors };
  if (run.found.length) ctx.say(`orphans: ${run.found.length} found, ${run.reaped.length} reaped`);
  const folded = afterOrphans(state, run, ctx.now());
  return { report, state: folded.state, events: folded.events };
}
