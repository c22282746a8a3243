import type { EventName } from './event-types.js';

/**
 * Every event name this build knows, as data: what config validation checks a channel's `events`
 * list against on every config load, without loading notify/describe.ts (descriptions and
 * formatting) on a healthy check. Checked against the WatchdogEvent union at compile time, both
 * ways: a name not in the union fails `satisfies`, a union member missing here fails `EventNamesComplete`.
 */
const EVENT_NAMES = [
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
  'channel_down',
  'channel_restart',
  'channel_recovered',
  'channels_unchecked',
  'channels_over_cap',
  'gateway_updated',
  'update_failed',
  'update_stuck',
  'openclaw_records_unread',
  'write_custody',
  'gateway_stop_stalled',
  'gateway_safe_mode',
  'gateway_safe_mode_ended',
  'start_near_breaker',
  'breaker_recover_failed',
] as const satisfies readonly EventName[];

/** Compile-time only: an error here names the event names missing from the list. */
type NoneMissing<Missing extends never> = Missing;
export type EventNamesComplete = NoneMissing<Exclude<EventName, (typeof EVENT_NAMES)[number]>>;

const NAMES: ReadonlySet<string> = new Set(EVENT_NAMES);

/** Whether this build knows an event by that name (a queued alert may be another version's). */
export const knownEvent = (name: string): boolean => NAMES.has(name);
