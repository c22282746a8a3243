import { hostname } from 'node:os';
import type { Config } from './config/load.js';
import { eventLogOptions, watchdogFiles } from './files.js';
import { renderMetrics, writeTextfile } from './metrics.js';
import { reminder } from './notify/reminder.js';
import type { ProbeResult } from './probe/types.js';
import { appendEvents, type WatchdogEvent } from './store/events.js';
import { saveState, type State } from './store/state.js';
import { trimLog } from './restart/spawn.js';

/**
 * Records a finished run: state, events, the metrics textfile, and alerts (sent last, so that
 * they never delay recovery; failures are logged as notify_failed).
 */
export async function recordRun(
  config: Config,
  state: State,
  events: WatchdogEvent[],
  probe: ProbeResult,
  now: () => number,
  paused: boolean,
): Promise<{ state: State; events: WatchdogEvent[] }> {
  const files = watchdogFiles(config);
  const { settings } = config;
  const remind = reminder(state, now(), settings.notify.remindAfterSec);
  const all = remind.event ? [...events, remind.event] : [...events];
  const next = remind.state;
  saveState(files.state, next);
  trimLog(files.gatewayLog);
  appendEvents(files.events, all, now(), eventLogOptions(config));
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
  if (problems.length) appendEvents(files.events, problems, now(), eventLogOptions(config));
  return { state: next, events: [...all, ...problems] };
}
