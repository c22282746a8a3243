/**
 * What each event means, one line of Markdown each: the meaning column of docs/events.md
 * (`npm run docs` writes it; the details columns come from the types in event-types.ts, whether
 * it alerts from notify/describe.ts). A new event fails the build until it is described here.
 */
import type { EventName } from './event-types.js';

export const EVENT_MEANING: Record<EventName, string> = {
  gateway_down:
    'The gateway does not answer and nothing of it is starting: a restart follows. Carries the last lines the gateway printed (`evidence`).',
  gateway_hung:
    'The gateway accepted connections and answered nothing for `probe.hungAfterSec`: it is stopped (SIGTERM, then SIGKILL) and restarted.',
  gateway_unresponsive: 'The gateway accepts connections and answers nothing; not yet hung.',
  gateway_recovered:
    "The gateway answers again. `downtimeSec` counts from when it died (`downtimeFrom`: `boot_ledger`, OpenClaw's boot ledger; `gateway_log`, its last log line; `first_check`, the first check that saw it not healthy), `diedAt` and `seenDownSec` besides.",
  gateway_safe_mode:
    "OpenClaw's crash-loop breaker tripped (safe mode): its channels are kept off (`channels`), with the unclean boots, OpenClaw's own text and fix, and what happens next (`breaker.action`). See [OpenClaw's lifecycle](openclaw-lifecycle.md).",
  gateway_safe_mode_ended: 'Safe mode is over: the channels run again (`durationSec`).',
  start_near_breaker:
    "The watchdog starts the gateway while OpenClaw's boot ledger holds unclean boots: at 2 this start is the last before the breaker trips, at 3 or more it comes up in safe mode (`clearsAt`: when the window drains).",
  breaker_recover_failed:
    'The safe-mode recovery restart could not be sent (`error`): OpenClaw recovers by itself.',
  port_conflict:
    'Something that is not this gateway holds the port (`holder`: `foreign`, `other_gateway`, `unattributed`): reported once, never stopped.',
  waiting:
    'A not-healthy check waits rather than acts (`reason`: starting, booting, not_listening, unresponsive, backoff, breaker_window): once per reason while it lasts.',
  restart_deferred: 'A restart waits for the backoff until `nextAttemptAt`.',
  crash_loop: 'The fifth restart in a row without `restart.stableAfterSec` of health: said once.',
  gateway_stopped: 'The watchdog stopped the gateway tree (`killed`, and any `survivors`).',
  gateway_restart:
    'The watchdog started the gateway (`method`: command, systemd, openclaw; `rpc`: OpenClaw restarts it in place on our request). Logged once the start went through (or the request was accepted), before the wait for it; once per restart, also when an accepted request falls back to a clean stop and a start.',
  restart_impossible:
    'A restart was due (a gateway that still serves: memory, a channel) but no start is possible: nothing was stopped; `error` says why, `fix` what to change. Once, not counted as a restart.',
  restart_failed:
    "The start failed: the gateway's exit code and its last lines; exit 78 is OpenClaw refusing its configuration (`hint`).",
  orphans_found:
    'Helpers (`orphans.patterns`) left by a dead gateway, only reported (`orphans.action: "report"`, or `unattributed`).',
  orphans_reaped: 'Orphaned helpers stopped, with the memory they held.',
  memory_high:
    'The gateway and its descendants hold more than `memory.warnAboveMB`: once per incident, the largest kinds named.',
  children_high: 'More descendants than `children.warnCount`: once per incident, counts by kind.',
  event_loop_lag:
    "`/readyz`'s event-loop delay above `eventLoop.warnMs` on `eventLoop.afterChecks` healthy checks in a row.",
  incident_reminder: 'An incident still open after `notify.remindAfterSec`.',
  paused: 'A maintenance window began (`openclaw-watchdog pause`).',
  resumed: 'The pause ended (`resume`, or it expired).',
  action_skipped: 'What a paused check would have done.',
  lock_busy: 'Another check holds the check lock; this one exits 75.',
  lock_lost:
    'This check stalled past `lock.staleSec` (the lock was not refreshed; another check may have taken it over) and stopped acting: what it did before it noticed (`did`) and skipped (`skipped`).',
  state_reset:
    'A damaged or hand-edited `state.json` field was reset to its default (`problem` names it).',
  config_error: 'The watchdog config could not be used: the file, the key and what is wrong.',
  record_failed:
    'A check could not save its state, events or metrics (a full disk): the step, the file, the error.',
  metrics_failed: 'The metrics textfile could not be written.',
  notify_failed:
    'An alert channel did not take an alert (`queued`: how many now wait in the outbox for it).',
  notify_dropped:
    'Undelivered alerts let go of: the outbox full, too old, their channel unconfigured, or unreadable.',
  notify_test: '`openclaw-watchdog notify test`: sent through every channel, never logged.',
  heartbeat_failed:
    'The heartbeat ping failed (`target`: its format and host): logged, never alerted.',
  gateway_stopped_by_user:
    '`openclaw gateway stop` or `systemctl --user stop`: the gateway stays down on purpose until it is started again.',
  disk_low:
    "A filesystem holding the state dir or OpenClaw's log dir is below `disk.warnFreePercent` / `disk.warnFreeMB`, with the largest dirs.",
  channel_down:
    'A channel account down for `channels.downAfterSec`: the account is restarted alone (or, blocked, only alerted).',
  channel_restart:
    'A channel account restarted alone (`channels.stop` + `channels.start`), and how it went.',
  channel_recovered: 'A channel account is up again.',
  channels_unchecked:
    'Channel accounts cannot be checked (`NO_TOKEN`, `GATEWAY_UNKNOWN`, `GATEWAY_NOT_ON_PORT`): said once.',
  gateway_updated:
    "OpenClaw's installation was replaced under the gateway (an update): started again at once, no gateway_down, no backoff step; from and to versions.",
  update_failed:
    'The new OpenClaw version does not start (exit 78 maintenance_required, or a failed start before it was ever healthy): what OpenClaw printed, once.',
  update_stuck:
    "An OpenClaw update or maintenance left alone for update.maxSec is still under way: OpenClaw's guidance (openclaw update status, openclaw update repair), once; the usual rules apply again.",
  openclaw_records_unread:
    "A stop or planned restart of a gateway that still answers went ahead without OpenClaw's update records (its database locked or corrupt, no `node:sqlite`): whether an update was running is unknown, so it was not held for one. Logged, not alerted.",
  write_custody:
    "A stop of a gateway that answers waited for OpenClaw's write custody (backup, migration): the phases, how long, and whether the stop went ahead.",
  gateway_stop_stalled:
    'A gateway that still answers outlived its own shutdown budget after SIGTERM: left running, never SIGKILLed, nothing started on top of it.',
  channels_over_cap: 'More channel accounts than the 8 followed: those left out, once per stretch.',
};
