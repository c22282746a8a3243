import { describe, expect, it } from 'vitest';
import { ALERT_EVENTS } from '../../../src/lib/notify/describe.js';
import { EVENT_MEANING } from '../../../src/lib/store/event-docs.js';

// ALERT_EVENTS is what a channel without an `events` list is sent (notify/format.ts): an event
// dropped from it is an incident nobody hears of; one added, noise at every check.
const ALERTING = [
  'gateway_down',
  'gateway_hung',
  'gateway_restart',
  'gateway_recovered',
  'restart_failed',
  'restart_impossible',
  'crash_loop',
  'port_conflict',
  'incident_reminder',
  'record_failed',
  'gateway_stopped_by_user',
  'disk_low',
  'memory_high',
  'children_high',
  'event_loop_lag',
  'channel_down',
  'channel_restart',
  'channel_recovered',
  'channels_over_cap',
  'gateway_updated',
  'update_failed',
  'update_stuck',
  'gateway_stop_stalled',
  'gateway_safe_mode',
  'gateway_safe_mode_ended',
  'breaker_recover_failed',
];

describe('the default alert set', () => {
  it('alerts exactly the incident events: every change of an outage, a signal or OpenClaw lifecycle', () => {
    expect([...ALERT_EVENTS].sort()).toEqual([...ALERTING].sort());
  });

  it('logs only the rest: steps, bookkeeping, and failures of alert delivery itself', () => {
    const quiet = Object.keys(EVENT_MEANING).filter((e) => !ALERTING.includes(e));
    expect(quiet.sort()).toEqual(
      [
        'gateway_unresponsive',
        'waiting',
        'restart_deferred',
        'gateway_stopped',
        'orphans_found',
        'orphans_reaped',
        'paused',
        'resumed',
        'action_skipped',
        'lock_busy',
        'lock_lost',
        'state_reset',
        'config_error',
        'metrics_failed',
        'notify_failed',
        'notify_dropped',
        'heartbeat_failed',
        'notify_test',
        'channels_unchecked',
        'write_custody',
        'openclaw_records_unread',
        'start_near_breaker',
      ].sort(),
    );
    for (const e of quiet) expect(ALERT_EVENTS.has(e)).toBe(false);
  });
});
