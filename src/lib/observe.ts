import { readBootClock } from './clock.js';
import type { Config } from './config/load.js';
import type { GatewayProc, Observation, PortOwner } from './decide/types.js';
import type { ProbeResult } from './probe/types.js';
import { attributeListed, identityOf } from './procs/facts.js';
import { gatewayLockPath, lockNames, readGatewayLock } from './procs/gateway-lock.js';
import { findPortOwner } from './procs/port-owner.js';
import { isGatewayTitled, type Proc } from './procs/proc-stat.js';
import { isSameProcess, listProcesses, readProc } from './procs/table.js';
import { readPause } from './store/pause.js';
import type { State } from './store/state.js';

/** How long a process titled plain `openclaw` may be a gateway still booting (it retitles after ~3 s). */
const BOOT_TITLE_SEC = 60;

/** Titled like an OpenClaw gateway: `openclaw-gateway` (comm `openclaw-gatewa`), or `openclaw` while booting. */
export function isGatewayProc(p: Proc): boolean {
  return isGatewayTitled(p) || (p.title === 'openclaw' && p.ageSec < BOOT_TITLE_SEC);
}

export type Observed = Observation & {
  table: Proc[];
  /** This watchdog's live gateway as far as known (spawned pid, validated lock; port owner when read). */
  live: number[];
};

/**
 * The gateway this watchdog knows without walking the process table (cheap, also on healthy
 * checks): the pid it spawned, if it is still that process (start time), and the pid the gateway's
 * lock in this state dir names, if the lock's start time, port and uid still match.
 */
export function knownGateways(config: Config, state: State): number[] {
  const uid = process.getuid?.() ?? null;
  const out: number[] = [];
  const spawned = state.spawned;
  if (spawned?.pid && isSameProcess(spawned.pid, spawned.startTicks)) out.push(spawned.pid);
  const lock = uid !== null ? readGatewayLock(gatewayLockPath(config.paths.stateDir, uid)) : null;
  const lockProc = lock ? readProc(lock.pid) : null;
  if (lock && lockProc && isGatewayProc(lockProc) && lockNames(lock, lockProc, config.port, uid))
    out.push(lock.pid);
  return [...new Set(out)];
}

/**
 * What a check sees besides the probe, and whether a maintenance pause is on. A healthy probe
 * needs only the known gateway (for the orphan reaper); otherwise the process table, the pid on the port and the gateway's own lock tell
 * starting, hung, dead and foreign apart. Gateway-titled processes provably of another port,
 * profile or state dir are left out: they never delay and are never touched. `always`: all of it
 * whatever the probe says (status shows the pid on the port and the orphans).
 */
export async function observe(
  config: Config,
  probe: ProbeResult,
  state: State,
  now: number,
  options: { always?: boolean } = {},
): Promise<Observed> {
  const clock = readBootClock();
  const pause = readPause(config.paths.watchdogDir);
  const known = knownGateways(config, state);
  const spawnedAlive = isSameProcess(state.spawned?.pid ?? 0, state.spawned?.startTicks ?? null);
  if (probe.verdict === 'healthy' && !options.always)
    return {
      now,
      clock,
      pause,
      probe,
      gateways: [],
      portOwner: null,
      table: [],
      live: known,
      spawnedAlive,
    };
  const procs = await listProcesses();
  const uid = process.getuid?.() ?? null;
  const mine = procs.filter((p) => uid === null || p.uid === uid);
  const byPid = new Map(procs.map((p) => [p.pid, p]));

  const ownerPid = process.platform === 'linux' ? findPortOwner(config.port).pid : null;
  const ownerProc = ownerPid !== null ? (readProc(ownerPid) ?? byPid.get(ownerPid)) : undefined;
  // Another user's process on the port (visible when running as root) is never ours to stop.
  const sameUser = ownerProc !== undefined && (uid === null || ownerProc.uid === uid);
  const portOwner: PortOwner | null = ownerProc
    ? {
        pid: ownerProc.pid,
        name: ownerProc.title || ownerProc.name,
        startTicks: ownerProc.startTicks,
        gateway: sameUser && isGatewayProc(ownerProc),
      }
    : null;

  const ours = new Set<number>(known);
  if (portOwner?.gateway) ours.add(portOwner.pid);
  const me = identityOf(config);
  const gateways: GatewayProc[] = [];
  for (const p of mine) {
    if (!ours.has(p.pid) && !isGatewayProc(p)) continue;
    const whose = ours.has(p.pid) ? 'ours' : attributeListed(p, me);
    if (whose === 'other' || whose === null) continue; // another's, or gone since listed
    gateways.push({
      pid: p.pid,
      startTicks: p.startTicks,
      ageSec: p.ageSec,
      title: p.title,
      ours: whose === 'ours',
    });
  }
  return {
    now,
    clock,
    pause,
    probe,
    gateways,
    portOwner,
    table: procs,
    live: [...ours],
    spawnedAlive,
  };
}
