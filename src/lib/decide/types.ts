import type { Settings } from '../config/schema.js';
import type { ProbeResult } from '../probe/types.js';
import type { Pause } from '../store/pause.js';
import type { LockListener, State } from '../store/state.js';
import type { ChannelsSeen } from '../channels/types.js';
import type { RestartReason, WatchdogEvent } from '../store/event-types.js';
import type { OpenClawSeen } from './openclaw/types.js';
import type { RestartsBefore } from './liveness/restart-impossible.js';
import type { BootLedger } from '../openclaw/boot-ledger.js';
import type { SqliteRead } from '../openclaw/sqlite.js';

export type { RestartReason, WaitReason } from '../store/event-types.js';

/** A gateway process seen in the process table, never one provably of another port, profile or
 * state dir. `ours`: provably this instance's gateway (it holds the port, the gateway's own lock
 * names it, this watchdog started it, or its arguments/environment say so); otherwise it cannot be
 * attributed either way: it may delay a restart while young, and is never stopped. */
export interface GatewayProc {
  pid: number;
  startTicks: number | null;
  ageSec: number;
  title: string;
  ours: boolean;
}

export interface PortOwner {
  pid: number;
  name: string;
  /** Start time in clock ticks: a stop target always carries its identity. */
  startTicks: number;
  /** Titled like an OpenClaw gateway (openclaw-gateway, or openclaw while booting), same user. */
  gateway: boolean;
  /** A gateway's attribution: only `ours` is ever stopped; `other` (another state dir or profile
   * on our port) and `unknown` are a port conflict. `other` for anything not a gateway of ours. */
  whose: 'ours' | 'other' | 'unknown';
}

/** The boot-time clock (CLOCK_BOOTTIME, /proc/uptime): immune to wall-clock jumps, per boot. */
export interface BootClock {
  bootId: string;
  uptimeMs: number;
}

/** The live gateway's process tree, read from /proc on every check (procs/gateway-tree.ts). */
export interface GatewayTree {
  pid: number;
  startTicks: number;
  /** RSS of the gateway plus each descendant's own memory (resident − shared, procs/gateway-tree.ts). */
  rssBytes: number;
  /** The gateway's own RSS. */
  gatewayRssBytes: number;
  /** How many descendants it has. */
  descendants: number;
  /** Its descendants by kind (command name, or the OpenClaw helper a node runs; never arguments),
   * largest RSS first. */
  kinds: { name: string; count: number; rssBytes: number }[];
  /** The memory the gateway may use: min(its cgroup's limit, RAM); null when unknown. */
  limitBytes: number | null;
  /** V8's default heap limit on this machine (OpenClaw's warning level reads it). */
  heapLimitBytes: number | null;
}

export interface Observation {
  /** Wall clock (epoch ms). */
  now: number;
  /** The boot-time clock at `now`, when known: durations across checks are measured with it. */
  clock?: BootClock | null;
  probe: Pick<ProbeResult, 'verdict' | 'startup' | 'reason' | 'ms'> & Partial<ProbeResult>;
  /** Gathered only when the probe is not healthy. */
  gateways: GatewayProc[];
  portOwner: PortOwner | null;
  /** The maintenance pause, if one is on (or just expired). */
  pause?: Pause | null;
  /** The gateway this watchdog last started (state.spawned: pid and start time) still runs:
   * only then may a healthy check learn its boot time. */
  spawnedAlive?: boolean;
  /** The lock's gateway seen listening on our port (procs/lock-listener.ts): kept in state, so
   * that the next check need not read the kernel's TCP tables to know it again. */
  lockListener?: LockListener | null;
  /** The user's last stop (OpenClaw's lifecycle log, the systemd unit): read only when not healthy. */
  userStop?: UserStop | null;
  /** Free space where the state dir and OpenClaw's logs live (every check). */
  disk?: DiskObservation | null;
  /** The gateway's channel accounts (`channels.status`), gathered on a healthy check only when
   * due (decide/channel-cadence.ts); absent when not asked. */
  channels?: ChannelsSeen;
  /** The live gateway with its identity (spawned or named by its lock), looked up only when the
   * channels were gathered: the target of a graceful restart. */
  liveGateway?: ProcRef | null;
  /** The OpenClaw profile watched (null: none), with the channels: for the commands alerts give. */
  profile?: string | null;
  /** The live gateway's process tree (healthy checks; null when no gateway is known as ours). */
  gatewayTree?: GatewayTree | null;
  /** OpenClaw's own lifecycle (update, maintenance, last boot), read only on a check that is not
   * healthy, or before a stop of a gateway that answers (a decision's `needs`;
   * openclaw/lifecycle.ts). Undefined: not read. */
  openclaw?: OpenClawSeen | null;
  /** OpenClaw's boot ledger (openclaw/boot-ledger.ts), read only when the check may start the
   * gateway (not healthy) or finds it in safe mode (/readyz `suppressed`); absent otherwise. */
  bootLedger?: SqliteRead<BootLedger>;
  /** When the gateway's own log (the watchdog's gateway.log of the gateway it started) was last
   * written (epoch ms): read only when not healthy (decide/openclaw/downtime.ts). */
  gatewayLogAt?: number | null;
  /** When the event log's last `gateway_restart` was stamped (epoch ms; null: none in its tail),
   * read only on a check that is not healthy and whose state holds no restart time (a reset or
   * removed state.json): the backoff's floor across a state reset (liveness/backoff-floor.ts). */
  restartLogged?: number | null;
}

/** `degraded`: the gateway answers, but a health signal besides the port (memory, a channel) is
 * bad enough to restart it gracefully. */
export type Status =
  | 'healthy'
  | 'starting'
  | 'unresponsive'
  | 'hung'
  | 'down'
  | 'deferred'
  | 'port-conflict'
  | 'degraded'
  | 'stopped'
  /** OpenClaw updates itself (or was just updated and is being started again): left alone. */
  | 'updating'
  /** OpenClaw's doctor (or another owner) holds its state lock: left alone. */
  | 'maintenance'
  /** Answers, but OpenClaw's crash-loop breaker keeps its channels from starting (§11.1). */
  | 'safe_mode';

export type ProcRef = { pid: number; startTicks: number | null };

export type Action =
  | { type: 'stop'; targets: ProcRef[]; reason: RestartReason }
  /** Reap orphaned helpers at least minAgeSec old (null: any age, right before a restart); a
   * gateway-titled one younger than graceSec may still be booting. */
  | { type: 'reap-orphans'; minAgeSec: number | null; graceSec: number }
  /** Only list them (orphans.action "report", or a dry run). */
  | { type: 'report-orphans'; minAgeSec: number | null; graceSec: number }
  /** Start the gateway, then verify it with probes of at most `probeTimeoutMs` each. */
  | { type: 'restart'; reason: RestartReason; probeTimeoutMs: number }
  /** Restart a gateway that still answers, gracefully: in place through OpenClaw's
   * `gateway.restart.request` RPC when the token allows (it defers while work is active; forced
   * after drainSec), else SIGTERM, up to drainSec for it to drain, SIGKILL; then start and verify
   * as `restart` does. The target is the live gateway, with its identity. */
  | {
      type: 'graceful-restart';
      reason: RestartReason;
      target: ProcRef;
      drainSec: number;
      probeTimeoutMs: number;
      /** Only OpenClaw's in-place restart RPC: when it cannot be used, nothing (never a stop:
       * a safe-mode gateway is never killed). */
      inPlaceOnly?: true;
    }
  /** Restart one channel account alone: `channels.stop` then `channels.start` over the token
   * session (scope operator.admin), only while `gateway` provably holds the port. Kills and
   * spawns nothing. */
  | {
      type: 'channel-restart';
      channel: string;
      account: string;
      /** Our gateway the accounts were read from: sent only if it still holds the port. */
      gateway: ProcRef | null;
    };

export type ActionOf<T extends Action['type']> = Extract<Action, { type: T }>;

export interface Decision {
  status: Status;
  detail: string;
  actions: Action[];
  events: WatchdogEvent[];
  state: State;
  exitCode: 0 | 1;
  /** A signal's graceful restart of a healthy gateway held back by backoff
   * (signals/graceful-restart.ts): no action, and it does not end the check (signals.ts). */
  held?: true;
  /** Records this decision must see before it is acted on, read only then: OpenClaw's update
   * ledger, lifecycle lock and suspension before a stop of a gateway that answers
   * (openclaw/hold-stop.ts). The check reads them into `Observation.openclaw` and decides again. */
  needs?: 'openclaw';
}

export type DecideSettings = Pick<
  Settings,
  | 'probe'
  | 'restart'
  | 'orphans'
  | 'notify'
  | 'disk'
  | 'channels'
  | 'memory'
  | 'children'
  | 'eventLoop'
  | 'update'
  | 'breaker'
>;

/** One check's decision after pause and reminders: what the pipeline acts on and records. */
export interface RunDecision extends Decision {
  /** A maintenance pause is on: the actions were dropped. */
  paused: boolean;
  /** The pause ended before this check: its file goes. */
  pauseExpired: boolean;
  /** The restart bookkeeping before this check: what a restart that could not start restores. */
  before: RestartsBefore;
}

/** The user's last stop of the gateway, as read from OpenClaw's lifecycle log or the systemd unit. */
export interface UserStop {
  /** When it was stopped (epoch ms). */
  at: number;
  /** `openclaw`: an `action=stop` line of gateway-restart.log; `systemd`: the unit stopped cleanly. */
  source: 'openclaw' | 'systemd';
  /** The gateway pid the stop names, when it says. */
  pid: number | null;
}

/** One filesystem holding the state dir and/or OpenClaw's log dir, as statfs saw it. */
export interface FsFree {
  /** The watched dirs it holds. */
  paths: string[];
  freeBytes: number;
  totalBytes: number;
  /** Its device id (stat st_dev): one low-disk incident per filesystem. */
  dev: number;
  /** A tmpfs (RAM-backed, sized as a share of RAM): only disk.warnFreePercent applies to it. */
  tmpfs: boolean;
}

/** One of the gateway's own dirs and its size (at least `bytes` when `truncated`). */
export interface DirSize {
  path: string;
  bytes: number;
  truncated: boolean;
}

export interface DiskObservation {
  filesystems: FsFree[];
  /** The largest of the gateway's log and session dirs: measured only when an alert is due. */
  largest?: DirSize[];
}
