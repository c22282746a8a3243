import { existsSync } from 'node:fs';
import type { Config } from './config/load.js';
import { eventLogOptions, watchdogFiles } from './files.js';
import type { GatewayTree } from './decide/types.js';
import type { ProbeResult } from './probe/types.js';
import type { Notified, StartPing } from './notify/run.js';
import type { Outbox } from './store/outbox.js';
import type { Journal } from './journal.js';
import { appendEvents, type WatchdogEvent } from './store/events.js';
import { clearPause, pauseFile } from './store/pause.js';
import { saveState, type State } from './store/state.js';
import { trimLog } from './restart/spawn.js';
import { countLogged, loadCounters } from './store/counters.js';
import { removeLeftoverTemps } from './store/leftover-temp.js';

export interface RunRecord {
  config: Config;
  state: State;
  events: WatchdogEvent[];
  probe: ProbeResult;
  /** The live gateway's tree this check read, for the metrics. */
  tree?: GatewayTree | null;
  now: () => number;
  paused: boolean;
  /** The pause ended before this check: its file goes. */
  pauseExpired: boolean;
  /** False when another check took the lock over: its state and metrics are the ones that count. */
  ownState: boolean;
  /** How many of `events` (the first ones) a check's journal logged already (journal.ts). */
  logged?: number;
  /** How many of `events` (the first ones) it counted in counters.json (`logged` when not said). */
  counted?: number;
  /** Told which alerts are being sent, and when they were delivered or queued in the outbox: a
   * signal meanwhile queues them (journal.ts), so that an alert cut short is never lost. */
  alerting?: Pick<Journal, 'alerting' | 'delivered'>;
  /** The check's outcome, for the heartbeat; `started`: its `/start` ping, when one was sent. */
  beat: {
    exitCode: number;
    reason: string;
    healthy: boolean;
    stopped?: boolean;
    started: StartPing;
  };
}

export interface Recorded {
  events: WatchdogEvent[];
  failed: string[];
}

/**
 * Records a finished run: state, events, alerts and the heartbeat (sent after the actions, so
 * that they never delay recovery; undelivered alerts wait in the outbox, failures are logged as
 * notify_failed / heartbeat_failed), then the metrics textfile (it counts the outbox). Every step is best effort: a
 * step that fails (a full disk) becomes a `record_failed` event, alerts still go out, and the
 * caller says so on stderr. The state falls back to an in-place rewrite, so backoff survives.
 */
export async function recordRun(run: RunRecord): Promise<Recorded> {
  const { config, state, now } = run;
  const files = watchdogFiles(config);
  const all = [...run.events];
  const failed: string[] = [];
  const step = (name: string, file: string, write: () => void): void => {
    try {
      write();
    } catch (error) {
      const message = (error as Error).message;
      failed.push(`${name}: ${message}`);
      all.push({ level: 'error', event: 'record_failed', step: name, file, error: message });
    }
  };
  if (run.pauseExpired) step('pause', pauseFile(files.dir), () => clearPause(files.dir));
  if (run.ownState) {
    step('state', files.state, () => saveState(files.state, state));
    // What a check killed mid-write left (one readdir; the check holds the lock).
    removeLeftoverTemps(files.dir, now());
  }
  step('gateway_log', files.gatewayLog, () => trimLog(files.gatewayLog));
  // Counted as they are logged, not after the alerts are sent (a signal during a send ends the
  // check); what the journal counted already is skipped; a failure is logged with the events.
  step('counters', files.counters, () =>
    countLogged(files.counters, all.slice(run.counted ?? run.logged ?? 0)),
  );
  step('events', files.events, () =>
    appendEvents(files.events, all.slice(run.logged ?? 0), now(), eventLogOptions(config)),
  );
  run.alerting?.alerting(all);
  const notified = await notify(run, all);
  run.alerting?.delivered();
  for (const f of notified.failed) {
    failed.push(`${f.step}: ${f.error}`);
    notified.events.push({ level: 'error', event: 'record_failed', ...f });
  }
  step('counters', files.counters, () => countLogged(files.counters, notified.events));
  const metrics = run.ownState ? await writeMetrics(run, notified.outbox) : [];
  const problems = [...notified.events, ...metrics];
  if (problems.length)
    step('events', files.events, () =>
      appendEvents(files.events, problems, now(), eventLogOptions(config)),
    );
  return { events: [...all, ...problems], failed };
}

/**
 * The metrics textfile, when configured (its code loaded only then: a check without it pays
 * nothing); a failure is a `metrics_failed` event.
 */
async function writeMetrics(
  { config, state, paused, probe, now, tree }: RunRecord,
  outbox: Outbox | null,
): Promise<WatchdogEvent[]> {
  const file = config.settings.metrics.textfile;
  if (!file) return [];
  try {
    const [
      { renderMetrics, writeTextfile },
      { gatewayName },
      { serviceManager },
      { memoryLimits },
    ] = await Promise.all([
      import('./metrics.js'),
      import('./fleet/names.js'),
      import('./fleet/gateway-info.js'),
      import('./decide/signals/memory-limits.js'),
    ]);
    const up = state.lastVerdict === 'healthy';
    const queued = { alerts: outbox?.alerts.length ?? 0, dropped: outbox?.dropped ?? 0 };
    const text = renderMetrics({
      gateway: gatewayName(config.paths),
      port: config.port,
      version: probe.version,
      serviceManager: serviceManager(config),
      up,
      paused,
      state,
      counters: loadCounters(watchdogFiles(config).counters),
      probeSeconds: probe.ms / 1000,
      now: now(),
      queued,
      tree,
      ...(tree ? { memory: memoryLimits(config.settings, tree) } : {}),
    });
    writeTextfile(file, text);
    return [];
  } catch (error) {
    return [{ level: 'warn', event: 'metrics_failed', file, error: (error as Error).message }];
  }
}

/**
 * Alerts (through the outbox) and the heartbeat, loaded only when there is something to send: a
 * quiet healthy check without a heartbeat or queued alerts pays nothing for them.
 */
async function notify(run: RunRecord, events: WatchdogEvent[]): Promise<Notified> {
  const { config } = run;
  const { heartbeat } = config.settings.notify;
  const queued = existsSync(watchdogFiles(config).outbox);
  if (!heartbeat && !events.length && !queued) return { events: [], outbox: null, failed: [] };
  const { notifyRun } = await import('./notify/run.js');
  const { exitCode, reason, healthy, stopped, started } = run.beat;
  return notifyRun(config, events, run.now(), {
    ownState: run.ownState,
    ...(run.alerting ? { delivered: () => run.alerting?.delivered() } : {}),
    beat: heartbeat
      ? {
          exitCode,
          reason,
          probeMs: run.probe.ms,
          verdict: run.probe.verdict,
          healthy,
          paused: run.paused,
          stopped: stopped === true,
          started,
        }
      : null,
  });
}
