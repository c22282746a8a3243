import { restartFailureLine } from '../decide/liveness/restart-failure.js';
import type { EventName, EventOf, WatchdogEvent } from '../store/event-types.js';
import {
  describeChildrenHigh,
  describeEventLoopLag,
  describeMemoryHigh,
} from './format-pressure.js';

/** What each event is: whether it alerts by default, and its one human line. */

/** Whether an event alerts by default: one per change of an incident. Every event says. */
const ALERTS: Record<EventName, boolean> = {
  gateway_down: true,
  gateway_hung: true,
  gateway_restart: true,
  gateway_recovered: true,
  restart_failed: true,
  restart_impossible: true,
  crash_loop: true,
  port_conflict: true,
  incident_reminder: true,
  record_failed: true,
  // The gateway stays down on purpose: one alert per stop, the only trace a forgotten stop leaves.
  gateway_stopped_by_user: true,
  disk_low: true,
  memory_high: true,
  children_high: true,
  event_loop_lag: true,
  gateway_unresponsive: false,
  waiting: false,
  restart_deferred: false,
  gateway_stopped: false,
  orphans_found: false,
  orphans_reaped: false,
  paused: false,
  resumed: false,
  action_skipped: false,
  lock_busy: false,
  lock_lost: false,
  state_reset: false,
  config_error: false,
  metrics_failed: false,
  notify_failed: false,
  // about alert delivery itself: alerting through the channels that fail would loop
  notify_dropped: false,
  heartbeat_failed: false,
  // sent by `notify test` through every channel, whatever it wants
  notify_test: false,
  channel_down: true,
  channel_restart: true,
  channel_recovered: true,
  channels_unchecked: false,
  // a monitoring gap: accounts nobody watches
  channels_over_cap: true,
  // an alert people want: "updated to 2026.9.7"
  gateway_updated: true,
  update_failed: true,
  update_stuck: true,
  // the stop it went with says what happened; this only says why it was not held
  openclaw_records_unread: false,
  // a stop that waited for OpenClaw's write custody: logged (the stop or its giving up says more)
  write_custody: false,
  gateway_stop_stalled: true,
  // OpenClaw's breaker silenced every channel behind green health checks: one alert per incident
  gateway_safe_mode: true,
  gateway_safe_mode_ended: true,
  start_near_breaker: false,
  breaker_recover_failed: true,
};

export { knownEvent } from '../store/event-names.js';

/** Events that alert by default. */
export const ALERT_EVENTS: ReadonlySet<string> = new Set(
  Object.entries(ALERTS)
    .filter(([, alerts]) => alerts)
    .map(([name]) => name),
);
/** Who holds the port, by a port_conflict's `holder`. */
const HOLDERS: Record<string, string> = {
  foreign: 'another program',
  other_gateway: "another state dir's or profile's gateway",
  unattributed: 'a gateway that cannot be attributed',
};

/** One human line for an event: what happened, and the detail that matters. */
export function describeEvent(e: WatchdogEvent): string {
  switch (e.event) {
    case 'gateway_down':
      return `gateway down: ${e.reason}`;
    case 'gateway_hung':
      return `gateway hung: ${e.reason}; stopping it`;
    case 'gateway_restart':
      return `gateway restarted (${e.reason}, via ${e.method}${e.pid ? `, pid ${e.pid}` : ''})`;
    case 'gateway_recovered':
      return describeRecovered(e);
    case 'gateway_safe_mode':
      return `gateway in OpenClaw's safe mode since ${e.since}: channel(s) ${e.channels.join(', ')} suppressed by its crash-loop breaker (${e.uncleanBoots ?? '?'} unclean boot(s) in the last 300 s); ${e.next}\nOpenClaw: ${e.text}\nfix: ${e.fix}`;
    case 'gateway_safe_mode_ended':
      return `gateway left OpenClaw's safe mode after ${e.durationSec} s: its channels are no longer suppressed`;
    case 'start_near_breaker':
      return e.uncleanBoots >= 3
        ? `starting the gateway (${e.reason}) with ${e.uncleanBoots} unclean boots in OpenClaw's 300 s window: it comes up in safe mode (channels suppressed) until ${e.clearsAt}`
        : `starting the gateway (${e.reason}) with ${e.uncleanBoots} unclean boots in OpenClaw's 300 s window (until ${e.clearsAt}): if this one dies too, the next boot comes up in safe mode`;
    case 'breaker_recover_failed':
      return `safe mode: the recovery restart could not be sent (${e.error}); OpenClaw restores the channels at its next health-monitor tick`;
    case 'restart_failed':
      return describeRestartFailed(e);
    case 'restart_impossible':
      return `restart (${e.reason}) impossible, nothing stopped: ${e.error}\nfix: ${e.fix}`;
    case 'crash_loop':
      return `crash loop: ${e.consecutiveRestarts} restarts without stable uptime${e.afterUpdate !== undefined ? ` since OpenClaw's update${e.afterUpdate ? ` to ${e.afterUpdate}` : ''} (see \`openclaw update status\`)` : ''}; backing off`;
    case 'port_conflict':
      return `port held by ${HOLDERS[e.holder ?? 'foreign'] ?? 'another program'} (pid ${e.pid ?? '?'}, ${e.name ?? 'unknown'}); not touching it: stop it, or give this gateway another port (gateway.port in openclaw.json)`;
    case 'incident_reminder':
      return `still ${e.kind} after ${e.sinceSec} s`;
    case 'notify_test':
      return 'test alert (openclaw-watchdog notify test): this channel works';
    case 'gateway_stopped_by_user':
      return `gateway stopped by the user (${e.source === 'systemd' ? 'systemctl --user stop' : 'openclaw gateway stop'} at ${e.stoppedAt}); not restarting it until it is started again`;
    case 'disk_low':
      return describeDiskLow(e);
    case 'channel_down':
      return describeChannelDown(e);
    case 'channel_restart':
      return e.ok
        ? `channel ${e.channel}/${e.account} restarted alone${e.start ? ` (${e.start})` : ''}`
        : `channel ${e.channel}/${e.account} could not be restarted: ${e.error ?? 'unknown error'}`;
    case 'channel_recovered':
      return `channel ${e.channel}/${e.account} recovered after ${e.downtimeSec} s`;
    case 'record_failed':
      return `could not save ${e.step} to ${e.file}: ${e.error}; free space on its filesystem (df -h ${e.file}) or fix its owner and mode`;
    case 'channels_unchecked':
      return `channels not checked: ${e.hint}`;
    case 'channels_over_cap':
      return `${e.count} channel account(s) not followed (at most ${e.followed}; down ones first): ${e.dropped.join(', ')}${e.dropped.length < e.count ? ', …' : ''}`;
    case 'memory_high':
      return describeMemoryHigh(e);
    case 'children_high':
      return describeChildrenHigh(e);
    case 'event_loop_lag':
      return describeEventLoopLag(e);
    case 'gateway_updated':
      return `gateway updated${e.from ? ` from ${e.from}` : ''}${e.to ? ` to ${e.to}` : ''} (OpenClaw replaced its installation; started again${e.pid ? `, pid ${e.pid}` : ''}${e.result === 'pending' ? ', still starting' : ''})`;
    case 'update_failed':
      return describeUpdateFailed(e);
    case 'update_stuck':
      return `${e.kind === 'updating' ? 'OpenClaw update' : 'OpenClaw maintenance'} not finished after ${e.sinceSec} s: ${e.detail}; ${e.guidance}. Supervising as usual again.`;
    case 'openclaw_records_unread':
      return `OpenClaw's update records could not be read before a stop (${e.reason}); the stop went ahead`;
    case 'write_custody':
      return `write custody held (${e.phases}) before a stop: ${e.outcome === 'released' ? `released after ${e.waitedSec} s` : e.outcome === 'gave_up' ? `still held after ${e.waitedSec} s; not stopping the gateway now` : 'the gateway stopped answering'}`;
    case 'gateway_stop_stalled':
      return `gateway pid ${e.pid} still answers ${e.waitedSec} s after SIGTERM, past its own shutdown budget; not killed (it answers), not started twice`;
    case 'gateway_unresponsive':
    case 'waiting':
    case 'restart_deferred':
    case 'gateway_stopped':
    case 'orphans_found':
    case 'orphans_reaped':
    case 'paused':
    case 'resumed':
    case 'action_skipped':
    case 'lock_busy':
    case 'lock_lost':
    case 'state_reset':
    case 'config_error':
    case 'metrics_failed':
    case 'notify_failed':
    case 'notify_dropped':
    case 'heartbeat_failed':
      return e.event.replace(/_/g, ' ');
  }
}

const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

function describeDiskLow(e: EventOf<'disk_low'>): string {
  const where = e.filesystems
    .map((f) => `${f.paths.join(', ')}: ${MB(f.freeBytes)} free (${f.freePercent} %)`)
    .join('; ');
  const big = e.largest
    .slice(0, 3)
    .map((d) => `${d.path} ${d.truncated ? '≥ ' : ''}${MB(d.bytes)}`)
    .join(', ');
  return `disk low: ${where}${big ? `; largest: ${big}` : ''}`;
}

function describeChannelDown(e: EventOf<'channel_down'>): string {
  const what = e.state === 'stale' ? 'no transport activity' : e.state;
  const why = e.lastError ? `: ${e.lastError}` : '';
  const next = e.state === 'blocked' ? '; not restarting (OpenClaw will not retry it)' : '';
  const fix = `${e.fix ? `\nfix: ${e.fix}` : ''}${e.then ? `\nthen: ${e.then}` : ''}`;
  return `channel ${e.channel}/${e.account} down (${what}) for ${e.downSec} s${why}${next}${fix}`;
}

function describeUpdateFailed(e: EventOf<'update_failed'>): string {
  const what = `the first start after OpenClaw's update${e.to ? ` to ${e.to}` : ''} failed (exit ${String(e.exitCode)})`;
  const output = (e.output ?? '').split('\n').slice(-5).join('\n');
  return `${what}${e.hint ? `: ${e.hint}` : ''}; see \`openclaw update status\` and \`openclaw update repair\`${output ? `\n${output}` : ''}`;
}

function describeRecovered(e: EventOf<'gateway_recovered'>): string {
  if (!e.downtimeFrom || e.downtimeFrom === 'first_check' || !e.diedAt)
    return `gateway recovered after ${e.downtimeSec} s${e.downtimeFrom ? ' (counted from the first check that saw it down)' : ''}`;
  const by = e.downtimeFrom === 'boot_ledger' ? "OpenClaw's boot ledger" : 'its last log line';
  return `gateway recovered after ${e.downtimeSec} s (down since ${e.diedAt}, by ${by}; first seen down ${e.seenDownSec ?? '?'} s before recovery)`;
}

/** The failure first (exit code or signal, why nothing ran, the gateway's last line), then the
 * fix, then its last lines. */
function describeRestartFailed(e: EventOf<'restart_failed'>): string {
  const line = restartFailureLine({ ...e, output: e.output ?? '' });
  const output = (e.output ?? '').split('\n').slice(-5).join('\n');
  return `${line}${e.hint ? `\nfix: ${e.hint}` : ''}${output ? `\n${output}` : ''}`;
}
