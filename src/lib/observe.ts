import { readBootClock } from './clock.js';
import type { Config } from './config/load.js';
import type { GatewayProc, Observation, PortOwner } from './decide/types.js';
import type { ProbeResult } from './probe/types.js';
import { gatewayLockPath, readGatewayLock } from './procs/gateway-lock.js';
import { findPortOwner } from './procs/port-owner.js';
import { isGatewayTitled, type Proc } from './procs/proc-stat.js';
import { isSameProcess, listProcesses, readProc } from './procs/table.js';
import type { State } from './store/state.js';

/** How long a process titled plain `openclaw` may be a gateway still booting (it retitles after ~3 s). */
const BOOT_TITLE_SEC = 60;

/** Titled like an OpenClaw gateway: `openclaw-gateway` (comm `openclaw-gatewa`), or `openclaw` while booting. */
export function isGatewayProc(p: Proc): boolean {
  return isGatewayTitled(p) || (p.title === 'openclaw' && p.ageSec < BOOT_TITLE_SEC);
}

/**
 * What a check sees besides the probe. A healthy probe needs nothing more; otherwise the process
 * table, the pid on the port and the gateway's own lock tell starting, hung, dead and foreign apart.
 */
export async function observe(
  config: Config,
  probe: ProbeResult,
  state: State,
  now: number,
): Promise<Observation & { table: Proc[] }> {
  const clock = readBootClock();
  if (probe.verdict === 'healthy')
    return { now, clock, probe, gateways: [], portOwner: null, table: [] };
  const procs = await listProcesses();
  const uid = process.getuid?.() ?? null;
  const mine = procs.filter((p) => uid === null || p.uid === uid);
  const byPid = new Map(procs.map((p) => [p.pid, p]));

  const ownerPid = process.platform === 'linux' ? findPortOwner(config.port).pid : null;
  const ownerProc = ownerPid !== null ? (readProc(ownerPid) ?? byPid.get(ownerPid)) : undefined;
  const portOwner: PortOwner | null = ownerProc
    ? {
        pid: ownerProc.pid,
        name: ownerProc.title || ownerProc.name,
        gateway: isGatewayProc(ownerProc),
      }
    : null;

  const ours = new Set<number>();
  if (portOwner?.gateway) ours.add(portOwner.pid);
  const lock = uid !== null ? readGatewayLock(gatewayLockPath(config.paths.stateDir, uid)) : null;
  const lockProc = lock ? byPid.get(lock.pid) : undefined;
  if (lockProc && isGatewayProc(lockProc) && (uid === null || lockProc.uid === uid))
    ours.add(lockProc.pid);
  const spawned = state.spawned;
  if (spawned?.pid && isSameProcess(spawned.pid, spawned.startTicks)) ours.add(spawned.pid);

  const gateways: GatewayProc[] = mine
    .filter((p) => isGatewayProc(p) || ours.has(p.pid))
    .map((p) => ({
      pid: p.pid,
      startTicks: p.startTicks,
      ageSec: p.ageSec,
      title: p.title,
      ours: ours.has(p.pid),
    }));
  return { now, clock, probe, gateways, portOwner, table: procs };
}
