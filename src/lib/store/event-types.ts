/** The event vocabulary: one type per event, keyed on its name. Types only. */

export type Level = 'info' | 'warn' | 'error';

/** Why a restart was decided. `memory` and `channel` restart a gateway that still answers: they
 * go through a graceful restart (the `graceful-restart` action). */
export type RestartReason =
  | 'crashed'
  | 'not_listening'
  | 'hung'
  | 'stuck_starting'
  | 'memory'
  | 'channel'
  /** OpenClaw replaced its installation and the gateway exited by itself (decide/openclaw/update.ts). */
  | 'updated'
  /** OpenClaw's safe mode, once its breaker window drained: one clean in-place restart
   * (`gateway.restart.request`), never a stop (decide/openclaw/safe-mode.ts). */
  | 'breaker';

/** Why a check waits rather than acts. */
export type WaitReason =
  | 'starting'
  | 'booting'
  | 'not_listening'
  | 'unresponsive'
  | 'backoff'
  /** OpenClaw updates or maintains itself (decide/openclaw/maintenance.ts). */
  | 'updating'
  | 'maintenance'
  /** The gateway is down and OpenClaw's boot ledger holds 3 unclean boots in its 300 s window: a
   * start now would come up in safe mode, so the start waits for the window (decide/openclaw/breaker.ts). */
  | 'breaker_window';

export type IncidentKind = 'down' | 'hung' | 'conflict';

type Ev<Name extends string, L extends Level, Details = object> = {
  level: L;
  event: Name;
  /** When it happened (epoch ms); the time of writing when absent. */
  at?: number;
} & Details;

/** The last lines the gateway printed (secrets redacted), the file they came from, and a note
 * when that file is OpenClaw's shared log. Gathered by an adapter (logs/evidence.ts), never by
 * the core. */
type Evidence = { evidence?: string[]; evidenceFrom?: string; evidenceNote?: string };

type OrphanSummary = { count: number; pids: number[]; names: string[]; rssBytes: number };

/** One event as decided by the core; `ts` is added when it is written. */
export type WatchdogEvent =
  | Ev<'gateway_down', 'error', { reason: string; pid?: number } & Evidence>
  | Ev<'gateway_hung', 'error', { reason: string } & Evidence>
  | Ev<'gateway_unresponsive', 'warn', { reason: string }>
  | Ev<'gateway_recovered', 'info', RecoveredDetails>
  | Ev<'gateway_safe_mode', 'error', SafeModeDetails>
  | Ev<'gateway_safe_mode_ended', 'info', { durationSec: number }>
  /** A start (or restart) the watchdog makes while OpenClaw's boot ledger holds unclean boots:
   * `uncleanBoots` in the window; at 2 this start is the last before the breaker trips, at 3 or
   * more it comes up in safe mode. */
  | Ev<
      'start_near_breaker',
      'warn',
      { uncleanBoots: number; reason: RestartReason; clearsAt: string }
    >
  /** The safe-mode recovery restart could not be sent (`error`): OpenClaw recovers by itself. */
  | Ev<'breaker_recover_failed', 'warn', { error: string }>
  | Ev<
      'port_conflict',
      'error',
      { pid: number | null; name: string | null; verdict: string; holder?: string }
    >
  | Ev<'waiting', 'info', { reason: WaitReason; detail: string }>
  | Ev<'restart_deferred', 'warn', { reason: RestartReason; nextAttemptAt: string }>
  | Ev<'crash_loop', 'error', { consecutiveRestarts: number; afterUpdate?: string | null }>
  | Ev<'gateway_stopped', 'info', StoppedDetails>
  | Ev<'gateway_restart', 'info', { reason: RestartReason; method: string; pid: number | null }>
  | Ev<'restart_failed', 'error', RestartFailedDetails>
  /** A restart was due but nothing was stopped or started: no start is possible (`method`: the
   * one that would have run; `lock`: a live gateway holds this state dir). Said once until a
   * restart is carried out. */
  | Ev<
      'restart_impossible',
      'error',
      { reason: RestartReason; method: string; error: string; fix: string }
    >
  | Ev<'orphans_found', 'warn', OrphanSummary & { reason?: 'unattributed' }>
  | Ev<'orphans_reaped', 'warn', OrphanSummary & { killed: number[]; survivors?: number[] }>
  | Ev<'memory_high', 'warn', MemoryHighDetails>
  | Ev<'children_high', 'warn', { count: number; warnCount: number; byName: NameCount[] }>
  | Ev<'event_loop_lag', 'warn', EventLoopLagDetails>
  | Ev<'incident_reminder', 'warn', { kind: IncidentKind; sinceSec: number }>
  | Ev<'paused', 'info', { until: string; reason: string | null }>
  | Ev<'resumed', 'info', { reason: 'manual' } | { reason: 'expired'; pausedSec: number }>
  | Ev<'action_skipped', 'warn', { reason: 'paused'; until: string; actions: string[] }>
  | Ev<'lock_busy', 'info'>
  /** `did`: what the check carried out before it lost the lock (its own events were not logged). */
  | Ev<'lock_lost', 'warn', { skipped: string[]; did?: string[] }>
  | Ev<'state_reset', 'warn', { problem: string }>
  | Ev<'config_error', 'error', { file: string; key: string | null; message: string }>
  | Ev<'record_failed', 'error', { step: string; file: string; error: string }>
  | Ev<'metrics_failed', 'warn', { file: string; error: string }>
  /** `channel`: the channel's label (kind and host, never a secret); `queued`: alerts that now
   * wait in the outbox for it (a later check retries them). */
  | Ev<
      'notify_failed',
      'warn',
      { channel: string; about: EventName; error: string; queued: number }
    >
  /** Undelivered alerts the outbox let go: `full` (the oldest, past notify.outboxMax), `expired`
   * (older than notify.outboxMaxAgeSec), `unconfigured` (their channel is gone); `total`: ever. */
  | Ev<
      'notify_dropped',
      'warn',
      { reason: 'full' | 'expired' | 'unconfigured' | 'unreadable'; count: number; total: number }
    >
  /** What `openclaw-watchdog notify test` sends through every channel (never logged). */
  | Ev<'notify_test', 'info'>
  /** The heartbeat ping failed (`target`: its format and host, never the URL). Never alerted. */
  | Ev<'heartbeat_failed', 'warn', { target: string; error: string }>
  | Ev<'gateway_stopped_by_user', 'warn', UserStopDetails>
  | Ev<'disk_low', 'warn', DiskLowDetails>
  | Ev<'channel_down', 'error', ChannelDownDetails>
  | Ev<'channel_restart', 'info' | 'warn', ChannelRestartDetails>
  | Ev<'channel_recovered', 'info', { channel: string; account: string; downtimeSec: number }>
  /** Channel accounts cannot be checked (NO_TOKEN: no gateway token): said once. */
  | Ev<'channels_unchecked', 'warn', { code: string; hint: string }>
  /** More accounts than state.json follows (MAX_CHANNEL_ACCOUNTS): `count` left unfollowed, the
   * first of them named. Said once per stretch over the cap. */
  | Ev<'channels_over_cap', 'warn', { count: number; followed: number; dropped: string[] }>
  // OpenClaw's own lifecycle: updates, maintenance, write custody, clean stops (issue 19)
  /** The gateway exited because OpenClaw replaced its installation, and was started again. */
  | Ev<'gateway_updated', 'info', GatewayUpdatedDetails>
  /** The first start after an update failed (exit 78 maintenance_required, …): said once. */
  | Ev<'update_failed', 'error', UpdateFailedDetails>
  /** An update or maintenance left alone for update.maxSec: said once, with OpenClaw's guidance. */
  | Ev<
      'update_stuck',
      'error',
      { kind: 'updating' | 'maintenance'; detail: string; sinceSec: number; guidance: string }
    >
  /** A stop or planned restart of a gateway that answers went ahead without OpenClaw's update
   * records (locked or corrupt database, no node:sqlite): whether an update runs is unknown. */
  | Ev<'openclaw_records_unread', 'warn', { reason: string }>
  /** A stop of a gateway that answers waited for OpenClaw's write custody (backup, migration). */
  | Ev<'write_custody', 'info' | 'warn', WriteCustodyDetails>
  /** A gateway that still answered past its own shutdown budget after SIGTERM: not killed. */
  | Ev<'gateway_stop_stalled', 'error', { pid: number; reason: RestartReason; waitedSec: number }>;

type GatewayUpdatedDetails = {
  from: string | null;
  to: string | null;
  method: string;
  pid: number | null;
  result: 'healthy' | 'pending';
};

type UpdateFailedDetails = {
  from: string | null;
  to: string | null;
  exitCode: number | null;
  hint?: string;
  output: string;
};

/** `released`: the custody ended and the stop went on; `gave_up`: still held after
 * restart.custodyWaitSec, nothing stopped; `not_answering`: the gateway stopped answering. */
type WriteCustodyDetails = {
  phases: string;
  waitedSec: number;
  outcome: 'released' | 'gave_up' | 'not_answering';
};

/** `downtimeFrom`: where the downtime counts from: when the gateway died by OpenClaw's boot
 * ledger (its last row's completion) or its last log line, else the first check that saw it down
 * (`first_check`; it may have died up to a cron interval earlier). */
type RecoveredDetails = {
  downtimeSec: number;
  downtimeFrom?: 'boot_ledger' | 'gateway_log' | 'first_check';
  /** When it died (ISO), when known. */
  diedAt?: string;
  /** Seconds from the first check that saw it down (what downtimeSec was before). */
  seenDownSec?: number;
};

/** OpenClaw's crash-loop breaker keeps the channels from starting (§11.1). */
type SafeModeDetails = {
  /** The channels /readyz names as suppressed. */
  channels: string[];
  /** Unclean boots in OpenClaw's 300 s window now (its own boot included), from the boot ledger;
   * null when the ledger cannot be read. */
  uncleanBoots: number | null;
  /** When safe mode began (the breaker boot in the ledger, else this check), ISO. */
  since: string;
  /** OpenClaw's own words for it, and its fix. */
  text: string;
  fix: string;
  /** What happens next: when the window drains and who restores the channels. */
  next: string;
};

type UserStopDetails = { stoppedAt: string; source: 'openclaw' | 'systemd'; pid: number | null };

type DiskLowDetails = {
  filesystems: { paths: string[]; freeBytes: number; totalBytes: number; freePercent: number }[];
  /** The largest of the gateway's own dirs (`truncated`: at least that many bytes). */
  largest: { path: string; bytes: number; truncated: boolean }[];
};

/** `state`: the account's healthState or lifecycle, `stale` (no transport activity), `blocked`. */
type ChannelDownDetails = {
  channel: string;
  account: string;
  state: string;
  lastError: string | null;
  /** OpenClaw's own fix text, for an account it will not retry (blocked). */
  fix?: string;
  /** Blocked: the command that starts the account again once that is fixed. */
  then?: string;
  /** Seconds since a check first saw it down. */
  downSec: number;
};

/** `ok`: both channels.stop and channels.start answered; `start`: start's outcome status. */
type ChannelRestartDetails = {
  channel: string;
  account: string;
  ok: boolean;
  start?: string;
  error?: string;
};

type NameCount = { name: string; count: number };
type MemoryHighDetails = {
  /** RSS of the gateway and all its descendants. */
  rssMB: number;
  warnAboveMB: number | null;
  restartAboveMB: number | null;
  /** The gateway itself and its largest descendants by kind, by RSS (names only, no arguments). */
  top: (NameCount & { rssMB: number })[];
};
type EventLoopLagDetails = {
  p99Ms: number | null;
  maxMs: number | null;
  warnMs: number;
  checks: number;
};

type StoppedDetails = {
  reason: RestartReason;
  pids: number[];
  killed: number[];
  survivors: number[];
};

type RestartFailedDetails = {
  method: string;
  exitCode: number | null;
  signal: string | null;
  error?: string;
  output: string;
  hint?: string;
};

export type EventName = WatchdogEvent['event'];

/** The event named `N`. */
export type EventOf<N extends EventName> = Extract<WatchdogEvent, { event: N }>;
