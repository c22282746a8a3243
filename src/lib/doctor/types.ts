/**
 * `openclaw-watchdog doctor`: what one check of the set-up says, and the facts the checks read.
 * The facts are gathered by adapters (gather.ts); every check is a pure function over them.
 */
import type { Every } from '../cron/block.js';
import type { FsFree } from '../decide/signals/disk.js';
import type { ProbeResult } from '../probe/types.js';
import type { StartProof } from '../restart/can-start.js';

export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One line of doctor's report: what it looked at, what it saw, and (when not ok) the exact fix. */
export interface Finding {
  /** Stable name of the check (`cron.block`, `gateway.token`, …): what --json and tests key on. */
  id: string;
  status: DoctorStatus;
  message: string;
  fix?: string;
}

/** How a program doctor ran (node, the CLI, `openclaw --version`) ended. */
export interface RunResult {
  ok: boolean;
  /** Its first line of output (a version), or why it failed. */
  output: string;
}

export interface CronFacts {
  /** `crontab -l` could not run (not installed, or failed): why. */
  crontabError: string | null;
  /** This state dir's block, as found in the crontab; null when there is none. */
  block: { entries: string[]; every: Every | null; legacy: boolean } | null;
  /** The block install-cron would write for the same cadence (the launcher path quoted). */
  expectedEntries: string[];
  /** The cron daemons running (from /proc: cron, crond, cronie); null when /proc cannot be read. */
  daemons: { pid: number; name: string }[] | null;
}

export interface LauncherFacts {
  path: string;
  /** The launcher file is there (a regular file we can read). */
  exists: boolean;
  /** When it was written (install-cron), epoch ms. */
  writtenAt: number | null;
  executable: boolean;
  /** What it runs: node and the CLI, as absolute paths (null when the file does not say). */
  node: string | null;
  cli: string | null;
  /** PATH it sets for the check (cron's own is /usr/bin:/bin). */
  path_: string | null;
  /** `<node> <cli> --version` with the launcher's environment; null when not run. */
  run: RunResult | null;
  /** This CLI (the one running doctor): where it is, and its version. */
  thisCli: string;
  thisVersion: string;
}

/** How the watchdog would start the gateway, proved as a restart proves it (restart/can-start.ts),
 * with the environment and PATH cron gives the check. */
export type StartFacts = StartProof;

export interface OpenclawFacts {
  /** /readyz `suppressed`: channels OpenClaw's crash-loop breaker keeps off (safe mode). */
  suppressed: string[];
  /** The gateway's lifecycle lock held by another OpenClaw role (doctor's sqlite-maintenance,
   * an update): its role and pid. */
  lockRole: { role: string; pid: number } | null;
  /** What the last check saved as its verdict or status (`safe_mode`, `updating`, …). */
  lastVerdict: string | null;
  /** OpenClaw at work as the last check left it alone (state.maintenance): an update or maintenance. */
  atWork: 'updating' | 'maintenance' | null;
  /** Unclean boots within OpenClaw's breaker window (300 s), from its boot ledger; null when the
   * ledger cannot be read (`ledgerError` says why). */
  uncleanBoots: number | null;
  ledgerError: string | null;
  /** The boot ledger says the breaker tripped and has not recovered (safe mode). */
  breakerTripped: boolean;
  /** The last check saw safe mode (state.json `safeMode`): since when. */
  savedSafeModeSince: number | null;
  /** breaker.action: what the watchdog does about safe mode. */
  breakerAction: string;
  /** OpenClaw trips its breaker at this many. */
  breakerThreshold: number;
}

export interface DoctorFacts {
  now: number;
  stateDir: string;
  /** The flags that name this state dir again (` --profile b`), for fix lines; '' for the default. */
  fixFlags: string;
  /** The watchdog's config file, and its mistake (null when it loaded). */
  configFile: string;
  configError: string | null;
  openclawConfig: string;
  cron: CronFacts;
  launcher: LauncherFacts;
  /** The cadence the block runs at, in seconds (30 when unknown). */
  everySec: number;
  lastCheckAt: number | null;
  probe: ProbeResult;
  stoppedByUser: boolean;
  paused: { until: number } | null;
  token: { known: boolean; authMode: string | null; source: string | null };
  start: StartFacts;
  notify: {
    webhooks: number;
    ntfy: number;
    telegram: number;
    commands: number;
    heartbeat: { host: string; format: string } | null;
    /** The heartbeat ping of the last check failed: its error (the event log's heartbeat_failed). */
    heartbeatError: string | null;
    outbox: number;
  };
  disk: { filesystems: FsFree[]; low: FsFree[] };
  openclaw: OpenclawFacts;
}

export type DoctorCheck = (facts: DoctorFacts) => Finding | Finding[];
