import { lstatSync } from 'node:fs';
import { readBootClock } from './clock.js';
import { watchdogFiles } from './files.js';
import type { Config } from './config/load.js';
import { observeChannels } from './channels/observe.js';
import type { Observation } from './decide/types.js';
import type { ProbeResult } from './probe/types.js';
import { attributorFor, identityOf } from './procs/facts.js';
import { gatewayLockPath, lockNames, readGatewayLock } from './procs/gateway-lock.js';
import { readGatewayTree } from './procs/gateway-tree.js';
import { lockListenPorts } from './procs/lock-listener.js';
import { findPortOwner } from './procs/port-owner.js';
import { gatewaysOf, isGatewayProc, portOwnerOf } from './procs/ours.js';
import { otherGatewayOnPort } from './procs/other-on-port.js';
import type { Proc } from './procs/proc-stat.js';
import { isSameProcess, listProcesses, readProc } from './procs/table.js';
import { observeDisk } from './disk/observe.js';
import { readPause } from './store/pause.js';
import { lastRestartLogged } from './store/last-restart.js';
import type { LockListener, State } from './store/state.js';

export { isGatewayProc } from './procs/ours.js';

export type Observed = Observation & {
  table: Proc[];
  /** This watchdog's live gateway as far as known: spawned pid, validated lock, and the port
   * owner when attributed ours. */
  live: number[];
};

/**
 * The gateway this watchdog knows without walking the process table (cheap, also on healthy
 * checks): the pid it spawned, if it is still that process (start time), and the pid the gateway's
 * lock in this state dir names, if the lock's start time, port and uid still match and the process
 * is not provably another state dir's (a copied lock). Where it listens comes from the listener
 * remembered in state (lock-listener.ts) while it still holds that socket; `lockListener` is what
 * to remember next.
 */
function knownGateways(
  config: Config,
  state: State,
  now: number,
): {
  pids: number[];
  spawnedAlive: boolean;
  gateway: { pid: number; startTicks: number } | null;
  lockListener: LockListener | null;
} {
  const uid = process.getuid?.() ?? null;
  const out: number[] = [];
  const spawned = state.spawned;
  const spawnedAlive = Boolean(spawned?.pid && isSameProcess(spawned.pid, spawned.startTicks));
  if (spawnedAlive) out.push(spawned!.pid!);
  const lock = uid !== null ? readGatewayLock(gatewayLockPath(config.paths.stateDir, uid)) : null;
  const lockProc = lock ? readProc(lock.pid) : null;
  const listen = lockProc
    ? lockListenPorts(state.lockListener, lockProc, config.port, now, { host: config.host })
    : null;
  // A lock copied or symlinked from another state dir names that dir's gateway: never ours. A
  // lock with a role (doctor's sqlite-maintenance, …) names no gateway: its owner is never one of
  // ours to stop, even titled `openclaw` in its first minute (decide/openclaw/maintenance.ts).
  const lockValid = Boolean(
    lock &&
    !lock.role &&
    lockProc &&
    isGatewayProc(lockProc) &&
    lockNames(lock, lockProc, config.port, uid) &&
    attributorFor(identityOf(config), listen!.ports).whose(lock.pid) !== 'other',
  );
  if (lockValid) out.push(lock!.pid);
  // The gateway itself: the one its lock names, else the one we spawned (still that process).
  const gateway = lockValid
    ? { pid: lockProc!.pid, startTicks: lockProc!.startTicks }
    : spawnedAlive
      ? { pid: spawned!.pid!, startTicks: spawned!.startTicks! }
      : null;
  const lockListener = lockValid ? (listen?.seen() ?? null) : null;
  return { pids: [...new Set(out)], spawnedAlive, gateway, lockListener };
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
  const { pids: known, spawnedAlive, gateway, lockListener } = knownGateways(config, state, now);
  const disk = observeDisk(config, state, now);
  const gatewayTree = probe.verdict === 'healthy' ? treeOf(config, gateway) : null;
  // With no gateway of ours known, a healthy answer may come from another state dir's gateway on
  // our port: then the whole look below (port owner attributed, a port_conflict in decide/).
  const healthyOurs =
    probe.verdict === 'healthy' && (known.length > 0 || otherGatewayOnPort(config) === null);
  if (healthyOurs && !options.always) {
    // Channels only when due (no RPC otherwise) and only from the live gateway known as ours, when
    // it provably holds the port (channels/observe.ts): also the target of their restarts.
    const channels = await observeChannels(config, probe, state, now, gateway);
    // OpenClaw's safe mode (/readyz `suppressed`): its boot ledger, and the gateway to restart.
    // Never read on a healthy check without it.
    // Loaded only then (a lazy chunk: SQLite's reader stays off the healthy path).
    const safe = probe.suppressed?.length
      ? {
          bootLedger: (await import('./openclaw/boot-ledger.js')).readBootLedger(
            config.paths.stateDir,
            now,
          ),
          liveGateway: gateway,
        }
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
      lockListener,
      gatewayTree,
      ...(channels ? { channels, liveGateway: gateway, profile: config.paths.profile } : {}),
      ...safe,
    };
  }
  // Off the healthy path: its adapters are lazy chunks, loaded only on a check that may act.
  const [{ readUserStop }, { readBootLedger }, { observeOpenClaw }] = await Promise.all([
    import('./lifecycle/user-stop.js'),
    import('./openclaw/boot-ledger.js'),
    import('./openclaw/lifecycle.js'),
  ]);
  const userStop = await readUserStop(config, now);
  const procs = await listProcesses();
  const uid = process.getuid?.() ?? null;
  const mine = procs.filter((p) => uid === null || p.uid === uid);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const attributor = attributorFor(identityOf(config));
  const roots = new Set<number>(known);

  const ownerPid =
    process.platform === 'linux' ? findPortOwner(config.port, config.host).pid : null;
  const ownerProc = ownerPid !== null ? (readProc(ownerPid) ?? byPid.get(ownerPid)) : undefined;
  // Another user's process on the port (visible when running as root) is never ours to stop.
  const sameUser = ownerProc !== undefined && (uid === null || ownerProc.uid === uid);
  const portOwner = ownerProc ? portOwnerOf(ownerProc, sameUser, roots, byPid, attributor) : null;
  if (portOwner?.whose === 'ours') roots.add(portOwner.pid);
  // The owner of a lock with a role (doctor at its SQLite work, titled `openclaw`, our state
  // database open) is no gateway: never one that started, that is not listening, to stop.
  const job = roleOwner(config, uid);
  const gateways = gatewaysOf(mine, roots, byPid, attributor).filter(
    (g) => job === null || g.pid !== job.pid || g.startTicks !== job.startTicks,
  );
  const live = [...roots];
  const table = procs;
  // The check may start the gateway: OpenClaw's boot ledger (breaker window, how it ended).
  const bootLedger = readBootLedger(config.paths.stateDir, now);
  const openclaw = options.always
    ? null
    : await observeOpenClaw(config, probe, gateways, mine, { portOwner: ownerPid, bootLedger });
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
    lockListener,
    gatewayTree,
    openclaw,
    bootLedger,
    gatewayLogAt: gatewayLogWritten(config, state),
    // A state without a restart time (reset, removed): the log's last restart keeps the backoff.
    ...(state.restarts.lastAt === null
      ? { restartLogged: lastRestartLogged(watchdogFiles(config).events) }
      : {}),
  };
}

/**
 * A healthy answer on our port that is not our gateway's: no gateway of ours known (spawned,
 * lock) and the port held by another state dir's gateway. What check decides as a port conflict,
 * for the readers that only probe (serve's /health): never our healthy gateway.
 */
export function foreignHealthy(config: Config, probe: ProbeResult, state: State): boolean {
  if (probe.verdict !== 'healthy') return false;
  return (
    knownGateways(config, state, Date.now()).pids.length === 0 &&
    otherGatewayOnPort(config) !== null
  );
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

/** Gateway processes of this user alive now that are not ours (another state dir, port, profile). */
export function otherGatewaysAlive(obs: Observed): number {
  const uid = process.getuid?.() ?? null;
  const ours = new Set([...obs.live, ...obs.gateways.filter((g) => g.ours).map((g) => g.pid)]);
  return obs.table.filter(
    (p) => (uid === null || p.uid === uid) && !ours.has(p.pid) && isGatewayProc(p),
  ).length;
}

/** The process that holds this state dir's lifecycle lock with a role (doctor's
 * sqlite-maintenance, …), by pid and start time; null when none does. */
function roleOwner(config: Config, uid: number | null): { pid: number; startTicks: number } | null {
  if (uid === null) return null;
  const lock = readGatewayLock(gatewayLockPath(config.paths.stateDir, uid));
  if (!lock?.role || lock.startTime === null) return null;
  return { pid: lock.pid, startTicks: lock.startTime };
}
