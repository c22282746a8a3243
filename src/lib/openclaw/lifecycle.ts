import { readFileSync } from 'node:fs';
import type { Config } from '../config/load.js';
import type { GatewayProc } from '../decide/types.js';
import type { OpenClawSeen } from '../decide/openclaw/types.js';
import { REPLACED_LINES } from '../decide/openclaw/update.js';
import { watchdogFiles } from '../files.js';
import { readTail } from '../logs/tail.js';
import type { ProbeResult } from '../probe/types.js';
import { gatewayLockPath, readGatewayLock } from '../procs/gateway-lock.js';
import { isGatewayTitled, type Proc } from '../procs/proc-stat.js';
import { readProc } from '../procs/table.js';
import type { BootLedger } from './boot-ledger.js';
import type { SqliteRead } from './sqlite.js';
import { readShutdownBudget } from './shutdown-budget.js';
import { driverAlive, runningUpdate } from './update-ledger.js';

/**
 * What OpenClaw is doing itself, read on a check that is not healthy (never on a healthy one):
 * its lifecycle lock's role, a running update with a live driver (SQLite), an update successor in
 * the process table, a suspension (the `status` RPC, only while /startupz says draining, only with
 * a token), and when nothing listens the last boot row (SQLite) or, without it, the gateway's log.
 */
export async function observeOpenClaw(
  config: Config,
  probe: ProbeResult,
  gateways: GatewayProc[],
  table: Proc[],
  /** The pid on the gateway's port, when known; OpenClaw's boot ledger as this check read it. */
  read: { portOwner: number | null; bootLedger: SqliteRead<BootLedger> | null },
): Promise<OpenClawSeen> {
  const stateDir = config.paths.stateDir;
  const update = runningUpdate(stateDir);
  const run = update.ok && update.value && driverAlive(update.value) ? update.value : null;
  // The last boot matters only when nothing listens (how the last gateway ended).
  const boot = probe.verdict === 'refused' ? read.bootLedger : null;
  const row = boot?.ok ? boot.value.last : null;
  return {
    lockRole: lockRole(stateDir),
    update: run && { runId: run.runId, phase: run.phase, driverPid: run.driver!.pid },
    suspended: probe.startup === 'draining' && (await suspended(config)),
    successor: successorOf(gateways, table, holders(stateDir, read.portOwner)),
    lastBoot: row && {
      pid: row.pid,
      startedAtMs: row.startedAtMs,
      completedAtMs: row.completedAtMs,
      outcome: row.outcome,
      reason: row.reason,
    },
    replacedLine: probe.verdict === 'refused' && !boot?.ok ? replacedLine(config) : null,
    ...(update.ok ? {} : { unread: update.reason }),
  };
}

/**
 * What OpenClaw is doing itself, read before a stop or a planned restart of a gateway that still
 * answers (decide/openclaw/hold-stop.ts; never on a plain healthy check): a running update with a
 * live driver (SQLite), its lifecycle lock's role, a suspension (the `status` RPC, only with a
 * token). Not the boot ledger (the gateway answers) nor the process table for an update successor
 * (a healthy check reads none): while a successor boots, the update's own row is still `running`.
 */
export async function openclawBeforeStop(config: Config): Promise<OpenClawSeen> {
  const stateDir = config.paths.stateDir;
  const update = runningUpdate(stateDir);
  const run = update.ok && update.value && driverAlive(update.value) ? update.value : null;
  return {
    lockRole: lockRole(stateDir),
    update: run && { runId: run.runId, phase: run.phase, driverPid: run.driver!.pid },
    suspended: await suspended(config),
    successor: null,
    lastBoot: null,
    replacedLine: null,
    ...(update.ok ? {} : { unread: update.reason }),
  };
}

/** The lifecycle lock held by a live owner with a role (doctor: sqlite-maintenance). An owner is
 * alive as OpenClaw judges it: its pid runs with the lock's start time, or, without one, its
 * command line is still `openclaw … doctor` (or `skills`, or any openclaw for agent-embedded). */
function lockRole(stateDir: string): OpenClawSeen['lockRole'] {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const lock = readGatewayLock(gatewayLockPath(stateDir, uid));
  if (!lock?.role) return null;
  const proc = readProc(lock.pid);
  if (!proc || proc.uid !== uid) return null;
  if (lock.startTime !== null)
    return proc.startTicks === lock.startTime ? { role: lock.role, pid: lock.pid } : null;
  const argv = cmdline(lock.pid);
  const word =
    lock.role === 'sqlite-maintenance'
      ? 'doctor'
      : lock.role === 'skill-workshop-apply'
        ? 'skills'
        : null;
  const alive = argv.some((a) => /openclaw/.test(a)) && (word === null || argv.includes(word));
  return alive ? { role: lock.role, pid: lock.pid } : null;
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** What owns the gateway's place: the pid on the port, and the gateway the state lock names
 * (no role, same start time). */
function holders(stateDir: string, portOwner: number | null): Set<number> {
  const out = new Set<number>(portOwner === null ? [] : [portOwner]);
  const uid = process.getuid?.();
  const lock = uid === undefined ? null : readGatewayLock(gatewayLockPath(stateDir, uid));
  if (
    lock &&
    !lock.role &&
    lock.startTime !== null &&
    readProc(lock.pid)?.startTicks === lock.startTime
  )
    out.add(lock.pid);
  return out;
}

/**
 * update.run's successor: a gateway-titled child of a gateway of ours that owns the gateway's place
 * (our state lock or our port) while its parent does not hold the port. A gateway's helper titled
 * like a gateway that owns neither is no successor (a hung gateway with such a child is stopped).
 */
export function successorOf(
  gateways: GatewayProc[],
  table: Proc[],
  owners: Set<number>,
): OpenClawSeen['successor'] {
  const ours = new Set(gateways.filter((g) => g.ours).map((g) => g.pid));
  const byPid = new Map(table.map((p) => [p.pid, p]));
  for (const p of table) {
    const parent = byPid.get(p.ppid);
    if (!parent || !ours.has(parent.pid) || owners.has(parent.pid) || !owners.has(p.pid)) continue;
    if (isGatewayTitled(parent) && isGatewayTitled(p)) return { parent: parent.pid, child: p.pid };
  }
  return null;
}

async function suspended(config: Config): Promise<boolean> {
  const read = await readShutdownBudget(config);
  return !read.ok && read.suspended;
}

/** The gateway's own line that its installation was replaced, in the log of the gateway this
 * watchdog started (its stdout: `<ISO time> [subsystem] message`). */
function replacedLine(config: Config): OpenClawSeen['replacedLine'] {
  const lines = readTail(watchdogFiles(config).gatewayLog, {
    maxLines: 200,
    ownerUid: process.getuid?.() ?? null,
  });
  const line = lines?.findLast((l) => REPLACED_LINES.some((m) => l.includes(m)));
  if (!line) return null;
  const at = Date.parse(line.split(' ')[0] ?? '');
  return { at: Number.isFinite(at) ? at : 0, text: line.slice(0, 400) };
}
