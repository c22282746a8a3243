import type { Config } from './config/load.js';
import { afterRestart } from './decide/after-restart.js';
import { graceSec } from './decide/backoff.js';
import type { Action, Observation } from './decide/types.js';
import { runOrphanAction } from './orphans/action.js';
import { probeGateway } from './probe/index.js';
import type { Proc } from './procs/proc-stat.js';
import { stopTrees } from './procs/kill.js';
import { restartGateway } from './restart/index.js';
import type { WatchdogEvent } from './store/events.js';
import type { State } from './store/state.js';
import type { CheckReport } from '../check.js';

export interface ActContext {
  obs: Observation & { table: Proc[] };
  now: () => number;
  say: (line: string) => void;
  /** Dry run: carry out nothing; orphans are only listed. */
  dryRun: boolean;
}

export interface ActResult {
  state: State;
  events: WatchdogEvent[];
  exitCode: 0 | 1 | null;
  report: Partial<Pick<CheckReport, 'stop' | 'restart' | 'orphans' | 'detail'>>;
}

/** Carries out a decision's actions in order: stop, reap orphans, restart and verify. */
export async function act(
  config: Config,
  actions: Action[],
  initial: State,
  ctx: ActContext,
): Promise<ActResult> {
  const { settings } = config;
  let state = initial;
  const events: WatchdogEvent[] = [];
  const report: ActResult['report'] = {};
  let exitCode: 0 | 1 | null = null;
  const live = new Set(ctx.obs.gateways.filter((g) => g.ours).map((g) => g.pid));
  for (const action of actions) {
    if (action.type === 'reap-orphans') {
      const reportOnly = ctx.dryRun || settings.orphans.action === 'report';
      const run = await runOrphanAction({
        settings,
        minAgeSec: action.minAgeSec,
        graceSec: graceSec(settings, state),
        livePids: [...live],
        reportOnly,
      });
      report.orphans = { found: run.found, reaped: run.reaped, survivors: run.survivors };
      if (run.found.length)
        ctx.say(`orphans: ${run.found.length} found, ${run.reaped.length} reaped`);
      events.push(...run.events.map((e) => ({ ...e, at: ctx.now() })));
      state = { ...state, orphansReapedTotal: state.orphansReapedTotal + run.reaped.length };
      continue;
    }
    if (ctx.dryRun) continue;
    if (action.type === 'stop') {
      ctx.say(
        `stop: ${action.targets.map((t) => t.pid).join(', ')} (SIGTERM, SIGKILL after ${settings.restart.stopTimeoutSec} s)`,
      );
      const table = ctx.obs.table.length ? ctx.obs.table : undefined;
      const stop = await stopTrees(action.targets, settings.restart.stopTimeoutSec * 1000, table);
      report.stop = stop;
      for (const pid of stop.stopped) live.delete(pid);
      events.push({
        level: 'info',
        event: 'gateway_stopped',
        at: ctx.now(),
        reason: action.reason,
        pids: stop.stopped,
        killed: stop.killed,
        survivors: stop.survivors,
      });
      continue;
    }
    const probe = () =>
      probeGateway({
        host: config.host,
        port: config.port,
        timeoutMs: Math.min(settings.probe.timeoutMs, 2000),
        auth: { token: config.token, mode: config.authMode },
      });
    const outcome = await restartGateway(config, { probe, now: ctx.now, say: ctx.say });
    report.restart = outcome;
    const took = ((outcome.endedAt - outcome.startedAt) / 1000).toFixed(1);
    ctx.say(
      `restart: ${outcome.result} after ${took} s${outcome.pid ? ` (pid ${outcome.pid})` : ''}`,
    );
    const folded = afterRestart(state, outcome, action.reason);
    state = folded.state;
    events.push(...folded.events);
    exitCode = folded.exitCode;
  }
  return { state, events, exitCode, report };
}
