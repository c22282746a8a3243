import type { Config } from './config/load.js';
import { afterRestart } from './decide/after-restart.js';
import { graceSec } from './decide/backoff.js';
import type { Action } from './decide/types.js';
import type { Observed } from './observe.js';
import { runOrphanAction } from './orphans/action.js';
import { probeGateway } from './probe/index.js';
import { identityOf } from './procs/facts.js';
import { findPortOwner } from './procs/port-owner.js';
import { stopTrees } from './procs/kill.js';
import { restartGateway } from './restart/index.js';
import type { WatchdogEvent } from './store/events.js';
import type { State } from './store/state.js';
import type { CheckReport } from '../check.js';

export interface ActContext {
  obs: Observed;
  now: () => number;
  say: (line: string) => void;
  /** Dry run: carry out nothing; orphans are only listed. */
  dryRun: boolean;
  /** Consulted right before every kill or spawn: false once another check took the lock over. */
  stillOwner?: () => boolean;
}

export interface ActResult {
  state: State;
  events: WatchdogEvent[];
  exitCode: 0 | 1 | null;
  report: Partial<Pick<CheckReport, 'stop' | 'restart' | 'orphans' | 'detail'>>;
  /** The check lock was taken over before an action: nothing more was done. */
  lockLost: boolean;
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
  const live = new Set([
    ...ctx.obs.live,
    ...ctx.obs.gateways.filter((g) => g.ours).map((g) => g.pid),
  ]);
  // Gateways that cannot be attributed either way: never stopped, nor their launchers.
  const unattributed = ctx.obs.gateways.filter((g) => !g.ours).map((g) => g.pid);
  let lockLost = false;
  for (const action of actions) {
    const acts =
      !ctx.dryRun && !(action.type === 'reap-orphans' && settings.orphans.action === 'report');
    if (acts && ctx.stillOwner && !ctx.stillOwner()) {
      // We were stalled and another check took over: it decides now, we must not kill or spawn.
      lockLost = true;
      events.push({
        level: 'warn',
        event: 'lock_lost',
        at: ctx.now(),
        skipped: actions.slice(actions.indexOf(action)).map((a) => a.type),
      });
      break;
    }
    if (action.type === 'reap-orphans') {
      const reportOnly = ctx.dryRun || settings.orphans.action === 'report';
      const run = await runOrphanAction({
        settings,
        minAgeSec: action.minAgeSec,
        graceSec: graceSec(settings, state),
        livePids: [...live],
        portOwner: process.platform === 'linux' ? () => findPortOwner(config.port).pid : undefined,
        identity: identityOf(config),
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
      const stop = await stopTrees(action.targets, settings.restart.stopTimeoutSec * 1000, {
        protect: unattributed,
      });
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
    // Within this run, time runs on the monotonic clock: a wall-clock jump during verify neither
    // stretches it (holding the lock) nor distorts the boot time the startup grace learns from.
    const wall0 = ctx.now();
    const mono0 = performance.now();
    const steady = () => wall0 + (performance.now() - mono0);
    const outcome = await restartGateway(config, { probe, now: steady, say: ctx.say });
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
  return { state, events, exitCode, report, lockLost };
}
