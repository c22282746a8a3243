import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config/load.js';
import { eventLogOptions } from '../files.js';
import { redactDeep } from '../redact.js';
import { channelsOf } from './channel.js';
import { beatRequest, heartbeatLabel, sendBeat } from './heartbeat.js';

export interface TestResult {
  /** The channel's label: its kind and host, never a secret. */
  channel: string;
  delivered: boolean;
  error: string | null;
}

/**
 * One test alert through every configured channel (whatever events it wants) and one test ping
 * to the heartbeat, all in parallel; never through the outbox. Errors are redacted.
 */
export async function sendTestAlerts(config: Config, now: number): Promise<TestResult[]> {
  const ctx = { host: hostname(), port: config.port };
  const { notify } = config.settings;
  const secrets = eventLogOptions(config).secrets;
  const alert = {
    id: randomUUID(),
    event: { level: 'info', event: 'notify_test', at: now } as const,
    at: now,
  };
  const jobs = channelsOf(config.settings, ctx, secrets).map(async (channel) => ({
    channel: channel.label,
    error: await channel.send(alert, channel.timeoutMs ?? notify.timeoutMs),
  }));
  const hb = notify.heartbeat;
  if (hb) {
    const beat = {
      exitCode: 0,
      reason: 'test ping from openclaw-watchdog notify test',
      probeMs: null,
      verdict: 'healthy',
      healthy: true,
      paused: false,
      now,
    };
    jobs.push(
      sendBeat(hb, beatRequest(hb, beat, ctx)).then((error) => ({
        channel: heartbeatLabel(hb),
        error,
      })),
    );
  }
  return (await Promise.all(jobs)).map(({ channel, error }) => ({
    channel,
    delivered: error === null,
    error: error === null ? null : redactDeep(error, secrets),
  }));
}
