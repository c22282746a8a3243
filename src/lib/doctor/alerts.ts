/** Doctor's alert checks: alert channels, the heartbeat. */
import type { DoctorFacts, Finding } from './types.js';

export function notifiers(f: DoctorFacts): Finding {
  const id = 'notify.channels';
  const n = f.notify;
  const parts = (
    [
      ['webhook', n.webhooks],
      ['ntfy', n.ntfy],
      ['telegram', n.telegram],
      ['command', n.commands],
    ] as const
  ).filter(([, c]) => c > 0);
  if (parts.length === 0)
    return {
      id,
      status: 'warn',
      message:
        'no alert channel configured: a crash, a restart or a full disk is only in the event log',
      fix: `add one (notify.webhooks, notify.ntfy, notify.telegram or notify.commands in ${f.configFile}; docs/alerts-and-heartbeat.md), then openclaw-watchdog notify test`,
    };
  const list = parts.map(([k, c]) => `${c} ${k}`).join(', ');
  if (n.outbox > 0)
    return {
      id,
      status: 'warn',
      message: `alert channels: ${list}; ${n.outbox} alert(s) undelivered in the outbox`,
      fix: 'openclaw-watchdog status shows which channel fails and why; openclaw-watchdog notify test tries each',
    };
  return {
    id,
    status: 'ok',
    message: `alert channels: ${list} (try them: openclaw-watchdog notify test)`,
  };
}

export function heartbeat(f: DoctorFacts): Finding {
  const id = 'notify.heartbeat';
  const h = f.notify.heartbeat;
  if (!h)
    return {
      id,
      status: 'warn',
      message:
        'no heartbeat: nothing would notice if this watchdog stopped (cron dead, crontab block gone, a reboot)',
      fix: `set notify.heartbeat in ${f.configFile} to a healthchecks.io or Uptime Kuma push URL (docs/alerts-and-heartbeat.md), then openclaw-watchdog notify test`,
    };
  if (f.notify.heartbeatError)
    return {
      id,
      status: 'warn',
      message: `heartbeat (${h.format}, ${h.host}): the last check's ping failed: ${f.notify.heartbeatError}; the service will think the watchdog stopped`,
      fix: `check notify.heartbeat's URL in ${f.configFile}, then openclaw-watchdog notify test`,
    };
  return {
    id,
    status: 'ok',
    message: `heartbeat pinged after every check (${h.format}, ${h.host})`,
  };
}
