/** The event vocabulary: one type per event, keyed on its name. Types only. */

export type Level = 'info' | 'warn' | 'error';

/** Why a restart was decided. `memory` and `channel` restart a gateway that still answers: they
 * go through a graceful restart (the `graceful-restart` action). */
export type RestartReason =
  'crashed' | 'not_listening' | 'hung' | 'stuck_starting' | 'memory' | 'channel';

/** Why a check waits rather than acts. */
export type WaitReason = 'starting' | 'booting' | 'not_listening' | 'unresponsive' | 'backoff';

export type IncidentKind = 'down' | 'hung' | 'conflict';

type Ev<Name extends string, L extends Level, Details = object> = {
  level: L;
  event: Name;
  /** When it happened (epoch ms); the time of writing when absent. */
  at?: number;
} & Details;

type OrphanSummary = { count: number; pids: number[]; names: string[]; rssBytes: number };

/** One event as decided by the core; `ts` is added when it is written. */
export type WatchdogEvent =
  | Ev<'gateway_down', 'error', { reason: string; pid?: number }>
  | Ev<'gateway_hung', 'error', { reason: string }>
  | Ev<'gateway_unresponsive', 'warn', { reason: string }>
  | Ev<'gateway_recovered', 'info', { downtimeSec: number }>
  | Ev<
      'port_conflict',
      'error',
      { pid: number | null; name: string | null; verdict: string; holder?: string }
    >
  | Ev<'waiting', 'info', { reason: WaitReason; detail: string }>
  | Ev<'restart_deferred', 'warn', { reason: RestartReason; nextAttemptAt: string }>
  | Ev<'crash_loop', 'error', { consecutiveRestarts: number }>
  | Ev<'gateway_stopped', 'info', StoppedDetails>
  | Ev<'gateway_restart', 'info', { reason: RestartReason; method: string; pid: number | null }>
  | Ev<'restart_failed', 'error', RestartFailedDetails>
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
  | Ev<'notify_failed', 'warn', { url: string; about: EventName; error: string }>;

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
