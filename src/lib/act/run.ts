import type { ActReport } from '../check-report.js';
import type { Config } from '../config/load.js';
import { lockLost } from '../decide/actions.js';
import { afterRestart, type RestartOutcome } from '../decide/liveness/after-restart.js';
import { restartFailureLine } from '../decide/liveness/restart-failure.js';
import { afterImpossible, type Impossible } from '../decide/liveness/restart-impossible.js';
import type { Action, ActionOf, RestartReason } from '../decide/types.js';
import { restartInPlace } from '../restart/graceful.js';
import { awaitCustody } from '../restart/custody-wait.js';
import type { StartedGateway } from '../restart/index.js';
import type { WatchdogEvent } from '../store/event-types.js';
import type { State } from '../store/state.js';
import type { ActContext, ActResult } from '../act.js';
import { restartChannel } from './channel.js';
import { carryOutOrphans } from './orphans.js';
import { stopGateways, type StopOpts } from './stop.js';
import { verifyTools } from './verify-tools.js';

const METHOD_NAME = 'gateway.restart.request';

/** One run of actions: the live gateway's pids, and what was done so far. */
export class Run {
  state: State;
  events: WatchdogEvent[] = [];
  exitCode: 0 | 1 | null = null;
  report: ActReport = {};
  detail: string | undefined;
  /** The lock was lost in the middle of an action (between a graceful stop and its start). */
  lost = false;
  /** A stop left a gateway that still answers running (gateway_stop_stalled): nothing is started. */
  private stalled = false;
  /** This restart's `gateway_restart` is in the events already (an accepted in-place request):
   * its clean stop and start that follow are the same restart, said once. */
  private restartSaid = false;
  private readonly live: Set<number>;
  /** Gateways that cannot be attributed either way: never stopped, nor their launchers. */
  private readonly unattributed: number[];

  constructor(
    private readonly config: Config,
    initial: State,
    private readonly ctx: ActContext,
  ) {
    this.state = initial;
    const { gateways, live } = ctx.obs;
    this.live = new Set([...live, ...gateways.filter((g) => g.ours).map((g) => g.pid)]);
    this.unattributed = gateways.filter((g) => !g.ours).map((g) => g.pid);
  }

  result(lost: boolean): ActResult {
    const { state, events, exitCode, report, detail } = this;
    return { state, events, exitCode, report, lockLost: lost, ...(detail ? { detail } : {}) };
  }

  async carryOut(action: Action): Promise<void> {
    switch (action.type) {
      case 'reap-orphans':
      case 'report-orphans':
        return this.orphans(action);
      case 'stop':
        return this.stop(action);
      case 'restart':
        return this.restart(action);
      case 'graceful-restart':
        return this.graceful(action);
      case 'channel-restart':
        return this.channel(action);
    }
  }

  /** One channel account, alone: channels.stop then channels.start, logged `channel_restart`. */
  private async channel(action: ActionOf<'channel-restart'>): Promise<void> {
    this.events.push(await restartChannel(this.config, action, this.ctx));
  }

  /** Within an action: the check lock was taken over, so `skipped` is not carried out (said). */
  private lockGone(skipped: Action[]): boolean {
    if (!this.ctx.stillOwner || this.ctx.stillOwner()) return false;
    this.events.push(lockLost(skipped, this.ctx.now()));
    this.lost = true;
    return true;
  }

  /**
   * A gateway that still answers: first its write custody (waited for, bounded; still held → no
   * stop now). Then in place when OpenClaw allows it (a channel escalation); for memory straight to
   * a clean stop and a start, one outage (the in-place restart never frees memory on 2026.9.6).
   * The stop is SIGTERM and its drain, never SIGKILL while the gateway answers (kill.ts `hold`).
   */
  private async graceful(action: ActionOf<'graceful-restart'>): Promise<void> {
    const { config, ctx } = this;
    // A gateway that still serves is never stopped unless one can be started again (in place
    // only, as in safe mode, stops and starts nothing of ours: no proof needed).
    if (!action.inPlaceOnly) {
      // Imported here, as the lock guard and the spawn below: lazy chunks a healthy check never
      // loads (scripts/build.mjs). Custody wait, in-place restart and clean stop stay static: made
      // lazy too, a healthy check's peak rose 5 MiB (measured, cause not found).
      const { proveStart } = await import('../restart/can-start.js');
      const proof = await proveStart(config, action.target.pid);
      if (!proof.ok) return this.impossible(proof, action.reason);
      ctx.say(`restart: a start is possible (${proof.method}: ${proof.proof})`);
    }
    const { probe, now } = verifyTools(config, ctx, action.probeTimeoutMs);
    const stillOwner = ctx.stillOwner;
    const owner = stillOwner ? { stillOwner } : {};
    const custody = await awaitCustody(config, { probe, now, say: ctx.say, ...owner });
    if (custody.event) this.events.push(custody.event);
    if (!custody.go) {
      // Nothing was stopped: the gateway serves, as under a held restart (quiet, exit 0).
      ctx.say('restart: write custody still held; not stopping the gateway now');
      this.exitCode = 0;
      return;
    }
    // Accepted: the restart is written down before the wait for the gateway (a check killed
    // meanwhile still leaves it), as a spawn's.
    const asked: { accepted: StartedGateway | null } = { accepted: null };
    const onAccepted = (started: StartedGateway) => {
      asked.accepted = started;
      this.recordStarted(started, action.reason);
    };
    // Memory: never in place (on 2026.9.6 it never frees memory): one outage, a clean stop and a start.
    const inPlace =
      action.reason === 'memory'
        ? null
        : await restartInPlace(config, action, { probe, now, say: ctx.say, onAccepted, ...owner });
    if (inPlace) return this.foldRestart(inPlace, action.reason);
    // Accepted, but it did not come back in time: the request stays said (logged already), and
    // what follows (a stop and a start, or breaker_recover_failed) comes after it.
    const { accepted } = asked;
    if (accepted) this.keepSaid(accepted, action.reason);
    if (action.inPlaceOnly) {
      // OpenClaw's safe mode: never a stop (decide/openclaw/safe-mode.ts); it recovers by itself.
      const error = accepted
        ? `${METHOD_NAME} was accepted, but the gateway did not restart within the wait`
        : `${METHOD_NAME} could not be used (needs the gateway token and this watchdog's gateway lock)`;
      this.events.push({ level: 'warn', event: 'breaker_recover_failed', at: ctx.now(), error });
      return;
    }
    const { reason, probeTimeoutMs, target } = action;
    if (this.lockGone([action])) return;
    // The gateway alone first, its drain to close its own helpers; then its tree.
    const stop = { type: 'stop' as const, targets: [target], reason };
    await this.stop(stop, { minWaitSec: action.drainSec, budget: custody.budget });
    if (this.lockGone([{ type: 'restart', reason, probeTimeoutMs }])) return;
    await this.restart({ type: 'restart', reason, probeTimeoutMs });
  }

  private async orphans(action: ActionOf<'reap-orphans' | 'report-orphans'>): Promise<void> {
    const { config, ctx } = this;
    const done = await carryOutOrphans(config, action, [...this.live], this.state, ctx);
    this.report.orphans = done.report;
    this.state = done.state;
    this.events.push(...done.events);
  }

  /** Stops gateways (stop.ts); one it left running (still answering) means nothing is started. */
  private async stop(
    action: ActionOf<'stop'>,
    opts: StopOpts = { minWaitSec: this.config.settings.restart.stopTimeoutSec, budget: null },
  ): Promise<void> {
    const done = await stopGateways(this.config, action, opts, this.unattributed, this.ctx);
    this.report.stop = done.stop;
    for (const pid of done.stop.stopped) this.live.delete(pid);
    this.events.push(...done.events);
    if (done.stalled) this.stalled = true;
  }

  private async restart(action: ActionOf<'restart'>): Promise<void> {
    const { config, ctx } = this;
    if (this.stalled) {
      // A gateway we stopped still answers (and holds the port): a start now would fail on the
      // port (an unclean boot for OpenClaw's breaker) and be a second gateway.
      ctx.say('restart: not started (the gateway stopped still runs)');
      return;
    }
    // Never a second gateway into a state dir whose lock names a live one (it would exit 78).
    const { liveLockHolder } = await import('../restart/lock-guard.js');
    const holder = liveLockHolder(config, null);
    if (holder) return this.impossible({ method: 'lock', ...holder }, action.reason);
    const { probe, now } = verifyTools(config, ctx, action.probeTimeoutMs);
    const { probeTimeoutMs, reason } = action;
    // Started: written down before verify waits (a check killed meanwhile still leaves it).
    const onStarted = (started: StartedGateway) => this.recordStarted(started, reason);
    const deps = { probe, now, say: ctx.say, probeTimeoutMs, onStarted };
    const { restartGateway } = await import('../restart/index.js');
    // Checked again right before the start: the imports above wait, and a signal may have come.
    if (this.lockGone([action])) return;
    const outcome = await restartGateway(config, deps);
    return this.foldRestart(outcome, reason);
  }

  /** A start (or an accepted in-place request), written down at once as a pending restart: its
   * events and the state with it, before the wait for the gateway (journal.ts). */
  private recordStarted(started: StartedGateway, reason: RestartReason): void {
    const folded = afterRestart(this.state, pending(started), reason, null, this.restartSaid);
    // Only what does not hang on verify's outcome: a start after an update says gateway_updated
    // or update_failed once verify knows which (the final record appends what follows these).
    const known = reason === 'updated' ? [] : folded.events;
    this.ctx.journal?.started({ state: folded.state, events: [...this.events, ...known] });
  }

  /** An accepted in-place request that did not end in a restart seen: kept as the journal wrote
   * it (its gateway_restart in the events, in the order logged; the state as pending). */
  private keepSaid(started: StartedGateway, reason: RestartReason): void {
    const folded = afterRestart(this.state, pending(started), reason);
    this.state = folded.state;
    this.events.push(...folded.events);
    this.restartSaid = true;
  }

  /** No start is possible: nothing stopped or started (restart-impossible.ts). */
  private impossible(why: Impossible, reason: RestartReason): void {
    this.ctx.say(`restart: impossible: ${why.error}`);
    // After an accepted in-place request the restart happened (logged, its backoff step written
    // down): only a decided restart that never began is undone.
    const before = this.restartSaid ? null : (this.ctx.before ?? null);
    const folded = afterImpossible(this.state, before, why, reason);
    this.state = folded.state;
    this.events.push(...folded.events.map((e) => ({ ...e, at: this.ctx.now() })));
    this.exitCode = folded.exitCode;
    this.detail = folded.detail;
  }

  private foldRestart(outcome: RestartOutcome, reason: RestartReason): void {
    const { config, ctx } = this;
    this.report.restart = outcome;
    const took = ((outcome.endedAt - outcome.startedAt) / 1000).toFixed(1);
    const pid = outcome.pid ? ` (pid ${outcome.pid})` : '';
    ctx.say(`restart: ${outcome.result} after ${took} s${pid}`);
    const remind = config.settings.notify.remindAfterSec;
    const folded = afterRestart(this.state, outcome, reason, remind, this.restartSaid);
    this.state = folded.state;
    this.events.push(...folded.events);
    this.exitCode = folded.exitCode;
    if (outcome.result === 'failed') this.detail = restartFailureLine(outcome);
  }
}

/** A start before its verify: a restart still pending. */
const pending = (started: StartedGateway): RestartOutcome => ({
  ...started,
  result: 'pending',
  endedAt: started.startedAt,
});
