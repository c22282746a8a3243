import { hostname } from 'node:os';
import type { Config } from './config/load.js';
import { eventLogOptions, watchdogFiles } from './files.js';
import { renderMetrics, writeTextfile } from './metrics.js';
import type { GatewayTree } from './decide/types.js';
import type { ProbeResult } from './probe/types.js';
import { appendEvents, type WatchdogEvent } from './store/events.js';
import { clearPause, pauseFile } from './store/pause.js';
import { saveState, type State } from './store/state.js';
import { trimLog } from './restart/spawn.js';

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
}

export interface Recorded {
  events: WatchdogEvent[];
  failed: string[];
}

/**
 * Records a finished run: state, events, the metrics textfile, and alerts (sent last, so that
 * they never delay recovery; failures are logged as notify_failed). Every step is best effort: a
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
  if (run.ownState) step('state', files.state, () => saveState(files.state, state));
  step('gateway_log', files.gatewayLog, () => trimLog(files.gatewayLog));
  step('events', files.events, () =>
    appendEvents(files.events, all, now(), eventLogOptions(config)),
  );
  const metrics = run.ownState ? writeMetrics(run) : [];
  const problems = [...metrics, ...(await alert(config, all, now()))];
  if (problems.length)
    step('events', files.events, () =>
      appendEvents(files.events, problems, now(), eventLogOptions(config)),
    );
  return { events: [...all, ...problems], failed };
}

/** The metrics textfile, when configured; a failure is a `metrics_failed` event. */
function writeMetrics({ config, state, paused, probe, now, tree }: RunRecord): WatchdogEvent[] {
  const file = config.settings.metrics.textfile;
  if (!file) return [];
  try {
    const up = state.lastVerdict === 'healthy';
    const probeSeconds = probe.ms / 1000;
    writeTextfile(file, renderMetrics({ up, paused, state, probeSeconds, now: now(), tree }));
    return [];
  } catch (error) {
    return [{ level: 'warn', event: 'metrics_failed', file, error: (error as Error).message }];
  }
}

/** Webhook alerts for the events that want one; failures come back as `notify_failed` events. */
async function alert(config: Config, events: WatchdogEvent[], now: number) {
  const { notify } = config.settings;
  if (!notify.webhooks.length) return [];
  const { sendAlerts } = await import('./notify/send.js');
  return sendAlerts(notify.webhooks, events, {
    host: hostname(),
    port: config.port,
    timeoutMs: notify.timeoutMs,
    now,
    secrets: eventLogOptions(config).secrets,
  });
}
