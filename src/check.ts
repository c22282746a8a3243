import { lstatSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { act, type Probe } from './lib/act.js';
import { probeOptions } from './lib/probe/index.js';
import type { CheckReport } from './lib/check-report.js';
import type { Config } from './lib/config/load.js';
import { dryRunActions } from './lib/decide/actions.js';
import { decideRun } from './lib/decide/run.js';
import type { Observation, RunDecision } from './lib/decide/types.js';
import { eventLogOptions, watchdogFiles } from './lib/files.js';
import { gatewayEvidence, withEvidence } from './lib/logs/evidence.js';
import { observe, otherGatewaysAlive } from './lib/observe.js';
import { probeGateway } from './lib/probe/index.js';
import type { StartPing } from './lib/notify/run.js';
import { recordRun } from './lib/record.js';
import { ensurePrivateDir } from './lib/store/atomic.js';
import { appendEvents, type WatchdogEvent } from './lib/store/events.js';
import { acquireCheckLock, type CheckLock } from './lib/store/lock.js';
import { loadState } from './lib/store/state.js';
import { EarlySignal, interrupted, never, onSignals } from './lib/interrupts.js';
import type { Journal } from './lib/journal.js';

export const EXIT_LOCK_BUSY = 75;

export interface CheckOptions {
  dryRun: boolean;
  /** Narration for --verbose (stderr). */
  say: (line: string) => void;
  now?: () => number;
  /** The adapters a check reads the world through (the real ones unless a test injects others). */
  probe?: Probe;
  observe?: typeof observe;
}

type Run = Required<Pick<CheckOptions, 'now' | 'probe' | 'observe'>> &
  CheckOptions & { config: Config; started: number; startPing?: StartPing; journal?: Journal };

/** One supervision run: lock → load state → probe → observe → decide (pure) → act → record. */
export async function runCheck(config: Config, options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? Date.now;
  const run: Run = {
    probe: probeGateway,
    observe,
    ...options,
    now,
    config,
    started: now(),
  };
  let lock: CheckLock | null = null;
  // A signal while the lock is being taken is held until the handler is in place (it would
  // otherwise end the check with its lock left behind: the next checks busy until lock.staleSec).
  const early = new EarlySignal(!options.dryRun);
  if (!options.dryRun) {
    const dir = watchdogFiles(config).dir;
    ensurePrivateDir(dir);
    try {
      lock = await acquireCheckLock(dir, config.settings.lock.staleSec);
    } catch (error) {
      early.reraise();
      throw error;
    }
    if (!lock) {
      early.reraise();
      return await lockBusy(run);
    }
    if (config.settings.notify.heartbeat?.start) {
      // healthchecks.io's /start, not awaited: it never delays the check (the end ping awaits it)
      const { startPing } = await import('./lib/notify/run.js');
      run.startPing = startPing(config);
    }
  }
  const stopOnSignal = lock ? onSignals(run, lock, early.stop()) : null;
  try {
    if (interrupted(run)) return await never();
    return await supervise(run, lock);
  } finally {
    stopOnSignal?.();
    await lock?.release().catch(() => {});
  }
}

async function supervise(run: Run, lock: CheckLock | null): Promise<CheckReport> {
  const { config, now, say } = run;
  const { settings } = config;
  const loaded = loadState(watchdogFiles(config).state);
  const probe = await run.probe(probeOptions(config));
  say(`probe: ${probe.verdict} (${probe.reason}, ${probe.ms} ms)`);
  const observed = await run.observe(config, probe, loaded.state, now());
  const { obs, decision } = await withNeeds(
    run,
    observed,
    decideRun(settings, loaded.state, observed),
    (seen) => decideRun(settings, loaded.state, seen),
  );
  say(`decision: ${decision.status}: ${decision.detail}`);
  // The gateway's last lines, read only when it is down or hung, before anything is stopped or
  // started (a restart appends the new gateway's lines to gateway.log).
  const decided = withEvidence(decision.events, () =>
    gatewayEvidence(config, loaded.state, obs.now, {
      port: config.port,
      otherGateways: otherGatewaysAlive(obs),
    }),
  );
  const todo = run.dryRun ? dryRunActions(decision.actions) : decision.actions;
  // Stamped when seen, as the decision's events are: the log stays in time order.
  const head: WatchdogEvent[] = [
    ...(loaded.problem
      ? [{ level: 'warn', event: 'state_reset', problem: loaded.problem } as const]
      : []),
    ...decided,
  ].map((e) => ({ ...e, at: obs.now }));
  // Interrupted before a start: the state without the decided restart (journal.ts).
  const restarts = todo.some((a) => a.type === 'restart' || a.type === 'graceful-restart');
  run.journal?.begin(head, { state: decision.state, undo: restarts ? decision.before : {} });
  if (interrupted(run)) return never();
  const done = await act(config, todo, decision.state, {
    obs,
    now,
    say,
    probe: run.probe,
    before: decision.before,
    ...(lock ? { stillOwner: lock.stillOwner } : {}),
    ...(run.journal ? { journal: run.journal } : {}),
  });
  const own: WatchdogEvent[] = [...head, ...done.events];
  const { status, actions, paused, pauseExpired } = decision;
  // How the restart failed, or why none was possible, not only the symptom it started from.
  const detail = done.detail ? `${decision.detail}; ${done.detail}` : decision.detail;
  const exitCode = done.exitCode ?? decision.exitCode;
  const report = { ...base(run), status, detail, exitCode, probe, actions, events: own, paused };
  const out: CheckReport = { ...report, ...done.report };
  if (run.dryRun) return { ...out, ms: now() - run.started };
  if (interrupted(run)) return never();
  const ownState = !done.lockLost && (lock?.stillOwner() ?? true);
  // A check that lost its lock records neither its state nor its events (they are older than the
  // new holder's, which has seen the same trouble): one lock_lost line, stamped now, says what it
  // did and skipped.
  const events = ownState ? own : [lostLine(done.events)];
  if (run.journal) run.journal.closed = true;
  const recorded = await recordRun({
    logged: ownState ? (run.journal?.logged ?? 0) : 0,
    counted: ownState ? (run.journal?.counted ?? 0) : 0,
    config,
    // how long this check took, up to recording it (the metrics: is the watchdog keeping up?)
    state: { ...done.state, checkMs: Math.max(0, Math.round(now() - run.started)) },
    events,
    probe,
    tree: obs.gatewayTree ?? null,
    now,
    paused,
    pauseExpired,
    ownState,
    ...(run.journal ? { alerting: run.journal } : {}),
    beat: {
      exitCode,
      reason: `${out.status}: ${out.detail}`,
      // a gateway booting within its grace is no outage (the watchdog waits it out); anything
      // else the probe found not healthy is, even when a restart fixed it
      healthy:
        (probe.verdict === 'healthy' && status !== 'safe_mode' && status !== 'port-conflict') ||
        status === 'starting',
      // stopped on purpose: alive with the reason, as for a pause (no /fail for a deliberate stop)
      stopped: status === 'stopped',
      started: run.startPing ?? null,
    },
  });
  const failed = recorded.failed.length ? { recordFailed: recorded.failed } : {};
  return { ...out, ...failed, events: recorded.events, ms: now() - run.started };
}

/**
 * A decision that must see more before it is acted on (`needs`): before a stop of a gateway that
 * answers, OpenClaw's update ledger, lifecycle lock and suspension (decide/openclaw/hold-stop.ts),
 * read only then (a lazy chunk, never loaded on a plain healthy check), and decided again.
 */
async function withNeeds<O extends Observation>(
  run: Run,
  obs: O,
  first: RunDecision,
  again: (obs: O) => RunDecision,
): Promise<{ obs: O; decision: RunDecision }> {
  if (first.needs !== 'openclaw') return { obs, decision: first };
  const { openclawBeforeStop } = await import('./lib/openclaw/lifecycle.js');
  const seen = { ...obs, openclaw: await openclawBeforeStop(run.config) };
  const decision = again(seen);
  run.say(`before the stop: OpenClaw's records read; decision: ${decision.status}`);
  return { obs: seen, decision };
}

/** The one line a check that lost its lock logs: what it carried out, what it skipped. */
function lostLine(done: WatchdogEvent[]): WatchdogEvent {
  const lost = done.find((e) => e.event === 'lock_lost');
  const skipped = lost?.event === 'lock_lost' ? lost.skipped : [];
  const did = done.filter((e) => e.event !== 'lock_lost').map((e) => e.event);
  return { level: 'warn', event: 'lock_lost', skipped, did };
}

/** Another check holds the lock: say so in the log (best effort), tell the heartbeat the
 * watchdog is alive (the holder may be restarting the gateway for minutes), and stop. */
async function lockBusy(run: Run): Promise<CheckReport> {
  const events: WatchdogEvent[] = [{ level: 'info', event: 'lock_busy' }];
  try {
    appendEvents(watchdogFiles(run.config).events, events, run.now(), eventLogOptions(run.config));
  } catch {
    // best effort (a full disk): the exit code says it
  }
  await busyBeat(run.config, run.now());
  const detail = 'another check is running';
  return { ...base(run), status: 'lock-busy', detail, exitCode: EXIT_LOCK_BUSY, events };
}

/**
 * The heartbeat in its success form, only while the lock is fresh: its holder refreshes it every
 * lock.staleSec / 3, so a fresh lock is a live check (one not refreshed for staleSec is taken over,
 * never pinged for). Best effort: a failed ping is the next check's to report.
 */
async function busyBeat(config: Config, now: number): Promise<void> {
  const hb = config.settings.notify.heartbeat;
  if (!hb) return;
  try {
    const age = Date.now() - lstatSync(join(watchdogFiles(config).dir, 'check.lock')).mtimeMs;
    if (age > config.settings.lock.staleSec * 1000) return;
  } catch {
    return; // released meanwhile
  }
  const { beatRequest, sendBeat } = await import('./lib/notify/heartbeat.js');
  const reason = 'busy: another check holds the lock (it may be restarting the gateway)';
  const beat = {
    exitCode: 0,
    reason,
    probeMs: null,
    verdict: 'busy',
    healthy: true,
    paused: false,
    now,
  };
  const { gatewayName } = await import('./lib/fleet/names.js');
  const ctx = { host: hostname(), port: config.port, gateway: gatewayName(config.paths) };
  await sendBeat(hb, beatRequest(hb, beat, ctx)).catch(() => null);
}

function base(run: Run) {
  const { dryRun, started } = run;
  return {
    dryRun,
    startedAt: started,
    probe: null,
    actions: [],
    events: [],
    ms: run.now() - started,
  };
}
