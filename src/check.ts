import type { Config } from './lib/config/load.js';
import type { RestartOutcome } from './lib/decide/after-restart.js';
import { act } from './lib/act.js';
import { decide } from './lib/decide/decide.js';
import { applyPause } from './lib/decide/pause.js';
import { rebaseClock } from './lib/decide/bookkeeping.js';
import { clearPause, readPause } from './lib/store/pause.js';
import type { Action, Status } from './lib/decide/types.js';
import { observe } from './lib/observe.js';
import { probeGateway } from './lib/probe/index.js';
import type { ProbeResult } from './lib/probe/types.js';
import type { StopResult } from './lib/procs/kill.js';
import type { OrphanRun } from './lib/orphans/action.js';
import { ensurePrivateDir } from './lib/store/atomic.js';
import { appendEvents, type WatchdogEvent } from './lib/store/events.js';
import { acquireCheckLock, type CheckLock } from './lib/store/lock.js';
import { loadState } from './lib/store/state.js';
import { eventLogOptions, watchdogFiles } from './lib/files.js';
import { recordRun } from './lib/record.js';

export const EXIT_LOCK_BUSY = 75;

export interface CheckOptions {
  dryRun: boolean;
  /** Narration for --verbose (stderr). */
  say: (line: string) => void;
  now?: () => number;
}

export interface CheckReport {
  status: Status | 'lock-busy';
  /** When the run started (epoch ms). */
  startedAt: number;
  detail: string;
  exitCode: number;
  dryRun: boolean;
  probe: ProbeResult | null;
  actions: Action[];
  events: WatchdogEvent[];
  stop?: StopResult;
  restart?: RestartOutcome;
  orphans?: Pick<OrphanRun, 'found' | 'reaped' | 'survivors'>;
  /** A maintenance pause is on: nothing was carried out. */
  paused?: boolean;
  /** Record steps that failed (state, events: e.g. a full disk), one line each. */
  recordFailed?: string[];
  ms: number;
}

/** One supervision run: lock, observe, decide (pure), act, verify, record. */
export async function runCheck(config: Config, options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const files = watchdogFiles(config);
  const { settings } = config;
  const logOptions = eventLogOptions(config);
  const report = (
    fields: Partial<CheckReport> & Pick<CheckReport, 'status' | 'detail' | 'exitCode'>,
  ): CheckReport => ({
    dryRun: options.dryRun,
    startedAt: started,
    probe: null,
    actions: [],
    events: [],
    ms: now() - started,
    ...fields,
  });

  let lock: CheckLock | null = null;
  if (!options.dryRun) {
    ensurePrivateDir(files.dir);
    lock = await acquireCheckLock(files.dir, settings.lock.staleSec);
    if (!lock) {
      const events: WatchdogEvent[] = [{ level: 'info', event: 'lock_busy' }];
      try {
        appendEvents(files.events, events, now(), logOptions);
      } catch {
        // best effort (a full disk): the exit code says it
      }
      return report({
        status: 'lock-busy',
        detail: 'another check is running',
        exitCode: EXIT_LOCK_BUSY,
        events,
      });
    }
  }
  try {
    const loaded = loadState(files.state);
    const events: WatchdogEvent[] = [];
    if (loaded.problem)
      events.push({ level: 'warn', event: 'state_reset', problem: loaded.problem });
    const probe = await probeGateway({
      host: config.host,
      port: config.port,
      timeoutMs: settings.probe.timeoutMs,
      auth: { token: config.token, mode: config.authMode },
    });
    options.say(`probe: ${probe.verdict} (${probe.reason}, ${probe.ms} ms)`);
    const obs = await observe(config, probe, loaded.state, now());
    const pause = readPause(files.dir);
    // Saved times moved by any wall-clock jump first, so that a pause restores them as decide saw them.
    const saved = rebaseClock(loaded.state, obs.now, obs.clock ?? null);
    const decision = applyPause(decide(settings, saved, obs), pause, obs.now, saved);
    if (decision.pauseExpired && !options.dryRun) clearPause(files.dir);
    const paused = pause !== null && !decision.pauseExpired;
    options.say(`decision: ${decision.status}: ${decision.detail}`);
    events.push(...decision.events.map((e) => ({ ...e, at: obs.now })));
    let exitCode: number = decision.exitCode;
    const out = report({
      status: decision.status,
      detail: decision.detail,
      exitCode,
      probe,
      actions: decision.actions,
      events,
      paused,
    });
    const done = await act(config, decision.actions, decision.state, {
      obs,
      now,
      say: options.say,
      dryRun: options.dryRun,
      ...(lock ? { stillOwner: lock.stillOwner } : {}),
    });
    events.push(...done.events);
    Object.assign(out, done.report);
    if (done.exitCode !== null) exitCode = done.exitCode;
    if (options.dryRun) return out;
    const ownState = !done.lockLost && (lock?.stillOwner() ?? true);
    const recorded = await recordRun(config, done.state, events, probe, now, { paused, ownState });
    const extra = recorded.failed.length ? { recordFailed: recorded.failed } : {};
    return { ...out, ...extra, exitCode, events: recorded.events, ms: now() - started };
  } finally {
    await lock?.release().catch(() => {});
  }
}
