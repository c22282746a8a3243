import { hostname } from 'node:os';
import type { Config } from './config/load.js';
import { eventLogOptions, watchdogFiles } from './files.js';
import { renderMetrics, writeTextfile } from './metrics.js';
import { reminder } from './notify/reminder.js';
import type { ProbeResult } from './probe/types.js';
import { appendEvents, type WatchdogEvent } from './store/events.js';
import { saveState, type State } from './store/state.js';
import { trimLog } from './restart/spawn.js';

export interface RecordOptions {
  paused: boolean;
  /** False when another check took the lock over: its state is the one that counts. */
  ownState: boolean;
}

/**
 * Records a finished run: state, events, the metrics textfile, and alerts (sent last, so that
 * they never delay recovery; failures are logged as notify_failed). Every step is best effort: a
 * step that fails (a full disk) becomes a `record_failed` event, alerts still go out, and the
 * caller says so on stderr. The state falls back to an in-place rewrite, so backoff survives.
 */
export async function recordRun(
  config: Config,
  state: State,
  events: WatchdogEvent[],
  probe: ProbeResult,
  now: () => number,
  { paused, ownState }: RecordOptions,
): Promise<{ state: State; events: WatchdogEvent[]; failed: string[] }> {
  const files = watchdogFiles(config);
  const { settings } = config;
  const remind = reminder(state, now(), settings.notify.remindAfterSec);
  const all = remind.event ? [...events, remind.event] : [...events];
  const next = remind.state;
  const failed: string[] = [];
  const step = (name: string, file: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      const message = (error as Error).message;
      failed.push(`${name}: ${message}`);
      all.push({ level: 'error', event: 'record_failed', step: name, file, error: message });
    }
  };
  if (ownState) step('state', files.state, () => saveState(files.state, next));
  step('gateway_log', files.gatewayLog, () => trimLog(files.gatewayLog));
  step('events', files.events, () =>
    appendEvents(files.events, all, now(), eventLogOptions(config)),
  );
  const problems: WatchdogEvent[] = [];
  if (settings.metrics.textfile) {
    try {
      const up = next.lastVerdict === 'healthy';
      writeTextfile(
        settings.metrics.textfile,
        renderMetrics({ up, paused, state: next, probeSeconds: probe.ms / 1000, now: now() }),
      );
    } catch (error) {
      problems.push({
        level: 'warn',
        event: 'metrics_failed',
        file: settings.metrics.textfile,
        error: (error as Error).message,
      });
    }
  }
  if (settings.notify.webhooks.length) {
    const { sendAlerts } = await import('./notify/send.js');
    problems.push(
      ...(await sendAlerts(settings.notify.webhooks, all, {
        host: hostname(),
        port: config.port,
        timeoutMs: settings.notify.timeoutMs,
        now: now(),
        secrets: eventLogOptions(config).secrets,
      })),
    );
  }
  if (problems.length)
    step('events', files.events, () =>
      appendEvents(files.events, problems, now(), eventLogOptions(config)),
    );
  return { state: next, events: [...all, ...problems], failed };
}
