import { defaultSettings } from '../../../src/lib/config/schema.js';
import {
  afterRestart,
  type RestartOutcome,
} from '../../../src/lib/decide/liveness/after-restart.js';
import { decide } from '../../../src/lib/decide/decide.js';
import type {
  BootClock,
  DecideSettings,
  Decision,
  GatewayProc,
  GatewayTree,
  Observation,
  PortOwner,
  ProcRef,
  RestartReason,
} from '../../../src/lib/decide/types.js';
import type { DiskObservation } from '../../../src/lib/decide/signals/disk.js';
import type { UserStop } from '../../../src/lib/decide/on-purpose/user-stop.js';
import type { ChannelsSeen } from '../../../src/lib/channels/types.js';
import type { Verdict } from '../../../src/lib/probe/types.js';
import type { OpenClawSeen } from '../../../src/lib/decide/openclaw/types.js';
import { freshState, type State } from '../../../src/lib/store/state.js';

/** The clock every scenario starts at; times in a scenario are seconds after it. */
export const T0 = Date.parse('2026-11-26T00:00:00Z');
export const sec = (s: number) => T0 + s * 1000;
export const BOOT = 'b5a1c0de-0000-4000-8000-000000000001';
export const UP0 = 5_000_000;

export interface Seen {
  gateways?: GatewayProc[];
  portOwner?: PortOwner | null;
  startup?: string | null;
  /** The boot-time clock, in seconds after UP0 (no boot-time clock when absent). */
  monoSec?: number;
  bootId?: string;
  /** The gateway state.spawned names still runs (pid + start time). */
  spawnedAlive?: boolean;
  /** The user's last stop, as the lifecycle log or the systemd unit says. */
  userStop?: UserStop | null;
  /** Free space of the state dir's and the log dir's filesystems. */
  disk?: DiskObservation | null;
  /** The channel accounts gathered this check (absent: not asked). */
  channels?: ChannelsSeen;
  /** The live gateway, as observe gives it with the channels. */
  liveGateway?: ProcRef | null;
  profile?: string | null;
  /** The live gateway's tree (memory, children). */
  tree?: GatewayTree | null;
  /** /readyz's eventLoop block. */
  eventLoop?: Record<string, unknown> | null;
  /** OpenClaw's own lifecycle (update, maintenance, last boot). */
  openclaw?: OpenClawSeen | null;
  /** /readyz's `suppressed` (OpenClaw's safe mode). */
  suppressed?: string[];
  /** OpenClaw's boot ledger as read (absent: not read). */
  bootLedger?: Observation['bootLedger'];
  /** When the watchdog's gateway.log was last written. */
  gatewayLogAt?: number | null;
  /** The event log's last gateway_restart (read when the state holds no restart time). */
  restartLogged?: number | null;
}

/** What one check at `at` s observes. */
export function obs(at: number, verdict: Verdict, seen: Seen = {}): Observation {
  const clock: BootClock | undefined =
    seen.monoSec === undefined
      ? undefined
      : { bootId: seen.bootId ?? BOOT, uptimeMs: UP0 + seen.monoSec * 1000 };
  return {
    now: sec(at),
    ...(clock ? { clock } : {}),
    probe: {
      verdict,
      startup: seen.startup ?? null,
      reason: verdict,
      ms: 1,
      ...(seen.eventLoop !== undefined ? { eventLoop: seen.eventLoop } : {}),
      ...(seen.suppressed !== undefined ? { suppressed: seen.suppressed } : {}),
    },
    gateways: seen.gateways ?? [],
    portOwner: seen.portOwner ?? null,
    ...(seen.spawnedAlive !== undefined ? { spawnedAlive: seen.spawnedAlive } : {}),
    ...(seen.userStop !== undefined ? { userStop: seen.userStop } : {}),
    ...(seen.disk !== undefined ? { disk: seen.disk } : {}),
    ...(seen.channels ? { channels: seen.channels } : {}),
    ...(seen.liveGateway !== undefined ? { liveGateway: seen.liveGateway } : {}),
    ...(seen.profile !== undefined ? { profile: seen.profile } : {}),
    ...(seen.tree !== undefined ? { gatewayTree: seen.tree } : {}),
    ...(seen.openclaw !== undefined ? { openclaw: seen.openclaw } : {}),
    ...(seen.bootLedger !== undefined ? { bootLedger: seen.bootLedger } : {}),
    ...(seen.gatewayLogAt !== undefined ? { gatewayLogAt: seen.gatewayLogAt } : {}),
    ...(seen.restartLogged !== undefined ? { restartLogged: seen.restartLogged } : {}),
  };
}

export const gw = (pid: number, ageSec: number, ours = true): GatewayProc => ({
  pid,
  startTicks: pid * 10,
  ageSec,
  title: 'openclaw-gateway',
  ours,
});

export const gatewayOwner = (
  pid: number,
  startTicks: number,
  whose: PortOwner['whose'] = 'ours',
): PortOwner => ({
  pid,
  name: 'openclaw-gateway',
  gateway: true,
  startTicks,
  whose,
});

const MiB = 1024 * 1024;
/** A gateway tree of `rssMiB` in all, with `children` descendants (of kind `name`), on a machine
 * with `limitMiB` of memory (cgroup or RAM) and a 4288 MiB V8 heap limit. */
export const tree = (
  rssMiB: number,
  { children = 2, name = 'node', limitMiB = 4096 } = {},
): GatewayTree => ({
  pid: 4242,
  startTicks: 777,
  rssBytes: rssMiB * MiB,
  gatewayRssBytes: Math.round(rssMiB * 0.8) * MiB,
  descendants: children,
  kinds: children ? [{ name, count: children, rssBytes: Math.round(rssMiB * 0.2) * MiB }] : [],
  limitBytes: limitMiB * MiB,
  heapLimitBytes: 4288 * MiB,
});

export const names = (events: { event: string }[]) => events.map((e) => e.event);

/** The restart action decide returns with default settings. */
export const restartAction = (reason: RestartReason) => ({
  type: 'restart',
  reason,
  probeTimeoutMs: 2000,
});

/** The orphan reaping that goes before every restart (default settings). */
export const reapBeforeRestart = { type: 'reap-orphans', minAgeSec: null, graceSec: 120 };

/**
 * A sequence of checks on one state, as cron runs them: each `check` decides on the state the
 * last one left; `restarted` folds a restart's outcome in as the act step would.
 */
export function scenario(
  options: {
    settings?: DecideSettings;
    state?: State;
    /** Every check reads the boot-time clock; it runs with the wall clock unless `monoSec` says. */
    bootClock?: boolean;
  } = {},
) {
  const settings = options.settings ?? defaultSettings();
  let state = options.state ?? freshState();
  const seenAt = (at: number, verdict: Verdict, seen: Seen): Seen => ({
    ...(options.bootClock ? { monoSec: at } : {}),
    ...(verdict === 'starting' ? { startup: 'starting' } : {}),
    ...seen,
  });
  return {
    settings,
    get state() {
      return state;
    },
    set state(next: State) {
      state = next;
    },
    check(at: number, verdict: Verdict, seen: Seen = {}): Decision {
      const d = decide(settings, state, obs(at, verdict, seenAt(at, verdict, seen)));
      state = d.state;
      return d;
    },
    restarted(
      at: number,
      result: RestartOutcome['result'],
      { bootSec = 10, exitCode, reason = 'crashed' as RestartReason } = {} as {
        bootSec?: number;
        exitCode?: number;
        reason?: RestartReason;
      },
    ) {
      const r = afterRestart(state, outcomeOf(at, result, bootSec, exitCode), reason);
      state = r.state;
      return r;
    },
  };
}

function outcomeOf(
  at: number,
  result: RestartOutcome['result'],
  bootSec: number,
  exitCode: number | undefined,
): RestartOutcome {
  return {
    method: 'openclaw',
    pid: 100,
    startTicks: 1000,
    startedAt: sec(at),
    endedAt: sec(at + bootSec),
    result,
    ...(exitCode !== undefined ? { exitCode, output: 'Invalid config at /x/openclaw.json' } : {}),
  };
}
