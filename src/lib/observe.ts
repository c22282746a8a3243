import { lstatSync } from 'node:fs';
import { readBootClock } from './clock.js';
import { watchdogFiles } from './files.js';
import { readBootLedger } from './openclaw/boot-ledger.js';
import type { Config } from './config/load.js';
import { observeChannels } from './channels/observe.js';
import type { GatewayProc, Observation, PortOwner } from './decide/types.js';
import type { ProbeResult } from './probe/types.js';
import type { Attribution } from './procs/attribute.js';
import { attributorFor, identityOf, type Attributor } from './procs/facts.js';
import { gatewayLockPath, lockNames, readGatewayLock } from './procs/gateway-lock.js';
import { readGatewayTree } from './procs/gateway-tree.js';
import { findPortOwner } from './procs/port-owner.js';
import { isGatewayTitled, type Proc } from './procs/proc-stat.js';
import { isSameProcess, listProcesses, readProc } from './procs/table.js';
import { observeDisk } from './disk/observe.js';
import { readUserStop } from './lifecycle/user-stop.js';
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
  /** This watchdog's live gateway as far as known: spawned pid, validated lock, and the port
   * owner when attributed ours. */
  live: number[];
};

/**
 * The gateway this watchdog knows without walking the process table (cheap, also on healthy
 * checks): the pid it spawned, if it is still that process (start time), and the pid the gateway's
 * lock in this state dir names, if the lock's start time, port and uid still match.
 */
function knownGateways(
  config: Config,
  state: State,
): { pids: number[]; spawnedAlive: boolean; gateway: { pid: number; startTicks: number } | null } {
  const uid = process.getuid?.() ?? null;
  const out: number[] = [];
  const spawned = state.spawned;
  const spawnedAlive = Boolean(spawned?.pid && isSameProcess(spawned.pid, spawned.startTicks));
  if (spawnedAlive) out.push(spawned!.pid!);
  const lock = uid !== null ? readGatewayLock(gatewayLockPath(config.paths.stateDir, uid)) : null;
  const lockProc = lock ? readProc(lock.pid) : null;
  const lockValid = Boolean(
    lock && lockProc && isGatewayProc(lockProc) && lockNames(lock, lockProc, config.port, uid),
  );
  if (lockValid) out.push(lock!.pid);
  // The gateway itself: the one its lock names, else the one we spawned (still that process).
  const gateway = lockValid
    ? { pid: lockProc!.pid, startTicks: lockProc!.startTicks }
    : spawnedAlive
      ? { pid: spawned!.pid!, startTicks: spawned!.startTicks! }
      : null;
  return { pids: [...new Set(out)], spawnedAlive, gateway };
}

/** The live gateway's tree, for the memory and children signals (off: not read). */
function treeOf(config: Config, gateway: { pid: number; startTicks: number } | null) {
  const { memory, children } = config.settings;
  const memoryOn = memory.warnAboveMB !== null || memory.restartAboveMB !== null;
  if (!gateway || process.platform !== 'linux' || (!memoryOn && children.warnCount === null))
    return null;
  const auto = memory.warnAboveMB === 'auto' || memory.restartAboveMB === 'auto';
  return readGatewayTree(gateway.pid, gateway.startTicks, auto);
}

/**
 * What a check sees besides the probe, and whether a maintenance pause is on. A healthy probe
 * needs only the known gateway (for the orphan reaper); otherwise the process table, the pid on
 * the port and the gateway's own lock tell starting, hung, dead and foreign apart. Gateway-titled processes provably of another port,
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
  const { pids: known, spawnedAlive, gateway } = knownGateways(config, state);
  const disk = observeDisk(config, state, now);
  const gatewayTree = probe.verdict === 'healthy' ? treeOf(config, gateway) : null;
  if (probe.verdict === 'healthy' && !options.always) {
    // Channels only when due (no RPC otherwise) and only from the live gateway known as ours, when
    // it provably holds the port (channels/observe.ts): also the target of their restarts.
    const channels = await observeChannels(config, probe, state, now, gateway);
    // OpenClaw's safe mode (/readyz `suppressed`): its boot ledger, and the gateway to restart.
    // Never read on a healthy check without it.
    const safe = probe.suppressed?.length
      ? { bootLedger: readBootLedger(config.paths.stateDir, now), liveGateway: gateway }
      : {};
    return {
      now,
      clock,
      pause,
      disk,
      probe,
      gateways: [],
      portOwner: null,
      table: [],
      live: known,
      spawnedAlive,
      gatewayTree,
      ...(channels ? { channels, liveGateway: gateway } : {}),
      ...safe,
    };
  }
  const userStop = await readUserStop(config, now);
  const procs = await listProcesses();
  const uid = process.getuid?.() ?? null;
  const mine = procs.filter((p) => uid === null || p.uid === uid);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const attributor = attributorFor(identityOf(config));
  const roots = new Set<number>(known);

  const ownerPid = process.platform === 'linux' ? findPortOwner(config.port).pid : null;
  const ownerProc = ownerPid !== null ? (readProc(ownerPid) ?? byPid.get(ownerPid)) : undefined;
  // Another user's process on the port (visible when running as root) is never ours to stop.
  const sameUser = ownerProc !== undefined && (uid === null || ownerProc.uid === uid);
  let portOwner: PortOwner | null = null;
  if (ownerProc) {
    const gateway = sameUser && isGatewayProc(ownerProc);
    // A gateway on our port is ours only if attributed so (or known): another state dir's is a conflict.
    const whose = !gateway
      ? 'other'
      : roots.has(ownerProc.pid) || ancestorIn(ownerProc, roots, byPid) !== null
        ? 'ours'
        : attributor.whose(ownerProc.pid);
    const { pid, startTicks } = ownerProc;
    portOwner = { pid, name: ownerProc.title || ownerProc.name, startTicks, gateway, whose };
    if (whose === 'ours') roots.add(pid);
  }
  const gateways = gatewaysOf(mine, roots, byPid, attributor);
  const live = [...roots];
  const table = procs;
  return {
    now,
    clock,
    pause,
    disk,
    userStop,
    probe,
    gateways,
    portOwner,
    table,
    live,
    spawnedAlive,
    gatewayTree,
    // The check may start the gateway: OpenClaw's boot ledger (breaker window, how it ended).
    bootLedger: readBootLedger(config.paths.stateDir, now),
    gatewayLogAt: gatewayLogWritten(config, state),
  };
}

/** When the log of the gateway this watchdog started was last written (its last words), if it
 * started one not through systemd (whose output goes to the journal). */
function gatewayLogWritten(config: Config, state: State): number | null {
  const spawned = state.spawned;
  if (!spawned || spawned.method === 'systemd') return null;
  try {
    const st = lstatSync(watchdogFiles(config).gatewayLog);
    return st.isFile() && st.mtimeMs >= spawned.at ? st.mtimeMs : null;
  } catch {
    return null;
  }
}

/** The nearest ancestor of `p` (not `p` itself) that is in `set`, or null. */
function ancestorIn(p: Proc, set: Set<number>, byPid: Map<number, Proc>): Proc | null {
  const seen = new Set<number>([p.pid]);
  for (let a = byPid.get(p.ppid); a && !seen.has(a.pid); a = byPid.get(a.ppid)) {
    if (set.has(a.pid)) return a;
    seen.add(a.pid);
  }
  return null;
}

/**
 * The gateway processes a check decides about, never one provably of another port or state dir.
 * Our known pids (spawned, lock, port owner) are ours. A descendant of one of ours is ours too
 * (ancestry beats title): a gateway under our launcher counts as our gateway, anything under our
 * gateway is its child (stopped with its tree, never a gateway of its own, never a shield). Any
 * other `openclaw-gateway` is attributed; one that cannot be is kept as not ours (it may delay
 * while young, it is never stopped). A plain `openclaw` (the CLI, or a gateway in its first ~3 s)
 * counts only when positively ours (the above, or it holds this state dir's database open).
 */
function gatewaysOf(
  mine: Proc[],
  roots: Set<number>,
  byPid: Map<number, Proc>,
  attributor: Attributor,
): GatewayProc[] {
  const whose = new Map<number, Attribution>();
  for (const p of mine) {
    if (roots.has(p.pid)) whose.set(p.pid, 'ours');
    else if (isGatewayTitled(p)) {
      const w = attributor.listed(p);
      if (w === null) continue; // exiting, or gone since the listing
      whose.set(p.pid, w);
    }
  }
  const ours = new Set([...whose].filter(([, w]) => w === 'ours').map(([pid]) => pid));
  const out: GatewayProc[] = [];
  for (const p of mine) {
    if (!roots.has(p.pid) && !isGatewayProc(p)) continue;
    if (isGatewayTitled(p) && !whose.has(p.pid)) continue; // gone since the listing
    let w = whose.get(p.pid) ?? 'unknown';
    const top = roots.has(p.pid) ? null : ancestorIn(p, ours, byPid);
    if (top) {
      if (underGateway(p, top, byPid)) continue; // a child of our gateway: part of its tree
      w = 'ours'; // a gateway under our launcher
    } else if (!isGatewayTitled(p) && !roots.has(p.pid)) {
      if (!attributor.holdsOurState(p.pid)) continue; // the CLI, or nobody knows: never waits
      w = 'ours';
    }
    if (w === 'other') continue;
    const { pid, startTicks, ageSec, title } = p;
    out.push({ pid, startTicks, ageSec, title, ours: w === 'ours' });
  }
  return out;
}

/** Is there a gateway-titled process between `p` (exclusive) and its ancestor `top` (inclusive)? */
function underGateway(p: Proc, top: Proc, byPid: Map<number, Proc>): boolean {
  for (let a = byPid.get(p.ppid); a; a = byPid.get(a.ppid)) {
    if (isGatewayProc(a)) return true;
    if (a.pid === top.pid) return false;
  }
  return false;
}

/** Gateway processes of this user alive now that are not ours (another state dir, port, profile). */
export function otherGatewaysAlive(obs: Observed): number {
  const uid = process.getuid?.() ?? null;
  const ours = new Set([...obs.live, ...obs.gateways.filter((g) => g.ours).map((g) => g.pid)]);
  return obs.table.filter(
    (p) => (uid === null || p.uid === uid) && !ours.has(p.pid) && isGatewayProc(p),
  ).length;
}
