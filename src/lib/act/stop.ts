import type { Config } from '../config/load.js';
import { afterStop } from '../decide/actions.js';
import type { ShutdownBudget } from '../decide/openclaw/custody.js';
import type { ActionOf } from '../decide/types.js';
import { stopTrees, type StopResult } from '../procs/kill.js';
import { cleanStopHold } from '../restart/clean-stop.js';
import type { WatchdogEvent } from '../store/event-types.js';
import type { ActContext } from '../act.js';
import { verifyTools } from './verify-tools.js';

/** The longest probe a stop's look each second takes (a hung gateway never answers it). */
const STOP_PROBE_MS = 1000;

export interface StopOpts {
  minWaitSec: number;
  budget: ShutdownBudget | null;
}

/** What a stop did: its report, its events, and whether it left a gateway that still answers. */
export interface StopDone {
  stop: StopResult;
  events: WatchdogEvent[];
  /** A gateway stopped still answers (gateway_stop_stalled): nothing is to be started over it. */
  stalled: boolean;
}

/**
 * Stops gateways: SIGTERM to each alone, then a look each second (restart/clean-stop.ts): one
 * that still answers drains, up to its own shutdown budget, and is never SIGKILLed (past that
 * budget it is left running, `gateway_stop_stalled`, and nothing is started over it); one that
 * does not answer is SIGKILLed after `minWaitSec` (restart.stopTimeoutSec for a hung gateway).
 * Then what is left of their trees: SIGTERM, SIGKILL after restart.stopTimeoutSec. `protect`:
 * gateways that cannot be attributed either way, never stopped, nor their launchers.
 */
export async function stopGateways(
  config: Config,
  action: ActionOf<'stop'>,
  opts: StopOpts,
  protect: number[],
  ctx: Pick<ActContext, 'now' | 'say' | 'probe'>,
): Promise<StopDone> {
  const pids = action.targets.map((t) => t.pid).join(', ');
  ctx.say(
    `stop: ${pids} (SIGTERM; SIGKILL only once it no longer answers, after ${opts.minWaitSec} s)`,
  );
  const { probe } = verifyTools(
    config,
    ctx,
    Math.min(config.settings.probe.timeoutMs, STOP_PROBE_MS),
  );
  const treeTimeoutMs = config.settings.restart.stopTimeoutSec * 1000;
  const hold = cleanStopHold(config, probe, opts);
  const t0 = ctx.now();
  const stop = await stopTrees(action.targets, opts.minWaitSec * 1000, {
    protect,
    rootsFirst: { treeTimeoutMs, hold },
  });
  const events: WatchdogEvent[] = [afterStop(action, stop, ctx.now())];
  let stalled = false;
  for (const pid of stop.left ?? []) {
    stalled = true;
    const waitedSec = Math.round((ctx.now() - t0) / 1000);
    events.push({
      level: 'error',
      event: 'gateway_stop_stalled',
      at: ctx.now(),
      pid,
      reason: action.reason,
      waitedSec,
    });
  }
  return { stop, events, stalled };
}
