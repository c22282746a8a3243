import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/load.js';
import type { ActionOf } from '../decide/types.js';
import type { RestartOutcome } from '../decide/liveness/after-restart.js';
import { BACKEND_CLIENT, callGateway, type RpcAnswer } from '../probe/rpc.js';
import type { ProbeResult } from '../probe/types.js';
import { gatewayLockPath, readGatewayLock } from '../procs/gateway-lock.js';
import { listenPortsFn } from '../procs/port-owner.js';
import { isSameProcess } from '../procs/table.js';
import type { StartedGateway } from './index.js';

export interface InPlaceContext {
  probe: () => Promise<ProbeResult>;
  now: () => number;
  say: (line: string) => void;
  /** Consulted before forcing: false once another check took the lock over. */
  stillOwner?: () => boolean;
  /** Between probes while waiting (tests shorten it). */
  pollMs?: number;
  /** The ports a pid listens on (its fds against /proc/net/tcp*); tests may inject. */
  listenPorts?: (pid: number) => number[] | null;
  /** Called once the request was accepted (before the wait for the gateway to come back): the
   * check records the restart then, as a spawn's (act/run.ts). */
  onAccepted?: (started: StartedGateway) => void;
}

const METHOD = 'gateway.restart.request';
const RPC_TIMEOUT_MS = 10_000;
/** Between probes while waiting: one a second (a 10 Hz probe cost 1.5 s CPU per 20 s on the real
 * gateway; its in-place restart takes ~9 s, a drain minutes). */
const POLL_MS = 1000;

/**
 * Restarts the live gateway in place through OpenClaw's `gateway.restart.request` RPC (scope
 * operator.admin; the gateway restarts itself with SIGUSR2: same pid). `deferred` (work active):
 * it keeps polling, and asks again with skipDeferral after memory.drainSec. The restart is seen by
 * /startupz leaving `started` or the gateway's uptime going back; verified when it answers again,
 * within restart.verifyTimeoutSec after it began. Only ever targeted: the request names the pid,
 * ownerId and port from OUR gateway lock, and is sent only when that pid holds our port (an
 * untargeted request restarts whatever gateway answers on the port: another profile's). Null when
 * it cannot be used (no lock naming the target, the target not on our port, no token, refused,
 * not supported, never restarted, or the gateway exited and nothing came back): the caller falls
 * back to SIGTERM, drain, SIGKILL and a start. Never SIGUSR1 (it opens the inspector).
 */
export async function restartInPlace(
  config: Config,
  action: ActionOf<'graceful-restart'>,
  ctx: InPlaceContext,
): Promise<RestartOutcome | null> {
  const { target } = action;
  const pollMs = ctx.pollMs ?? POLL_MS;
  const aim = targetOf(config, action, ctx.listenPorts ?? listenPortsFn(undefined, config.host));
  if (typeof aim === 'string') {
    ctx.say(`restart: ${METHOD} not sent (${aim}); stopping the gateway instead`);
    return null;
  }
  const verifyMs = config.settings.restart.verifyTimeoutSec * 1000;
  const before = await ctx.probe();
  // The uptime it reported, when: read during that probe, so at most its duration earlier.
  const baseline = { uptime: uptimeOf(before), at: ctx.now(), slackMs: before.ms + 250 };
  const startedAt = ctx.now();
  const first = await request(config, action.reason, aim, false);
  if (!first.ok) {
    ctx.say(`restart: ${METHOD} not usable (${first.code}); stopping the gateway instead`);
    return null;
  }
  const status = String(first.payload.status ?? 'scheduled');
  ctx.say(`restart: ${METHOD} ${status} (pid ${target.pid})`);
  ctx.onAccepted?.({ method: 'rpc', pid: target.pid, startTicks: target.startTicks, startedAt });
  let forced = false;
  let giveUpAt = startedAt + (status === 'scheduled' ? verifyMs : action.drainSec * 1000);
  let began: number | null = null;
  for (;;) {
    await sleep(pollMs);
    const probe = await ctx.probe();
    const now = ctx.now();
    const alive = isSameProcess(target.pid, target.startTicks);
    const wentBack = uptimeWentBack(probe, baseline, now);
    if (began === null && (restarting(probe) || wentBack || !alive)) began = now;
    if (began !== null && probe.verdict === 'healthy' && !restarting(probe)) {
      // Same pid (SIGUSR2 in place); or it exited and its supervisor started the one its lock
      // names. One probe that failed while its uptime kept counting was no restart.
      if (!alive || wentBack || baseline.uptime === null)
        return outcome('healthy', alive ? target : lockPid(config), startedAt, now);
      began = null;
    }
    if (began !== null && now - began >= verifyMs) {
      if (alive) return outcome('pending', target, startedAt, now);
      // It exited (a supervised restart, §5): the gateway its supervisor started holds the lock
      // and still boots, the restart asked for (a start over it would exit 78); else nothing
      // came back: start it.
      const next = lockPid(config);
      return next ? outcome('pending', next, startedAt, now) : null;
    }
    if (began === null && now >= giveUpAt) {
      if (forced || (ctx.stillOwner && !ctx.stillOwner())) return null;
      forced = true;
      giveUpAt = now + verifyMs;
      const waited = Math.round((now - startedAt) / 1000);
      ctx.say(`restart: still not restarted after ${waited} s; forcing (skipDeferral)`);
      const again = await request(config, action.reason, aim, true);
      if (!again.ok) return null;
    }
  }
}

type Aim = { pid: number; ownerId: string; port: number };

/** The target of a request (pid, ownerId and port from our gateway lock), or why there is none. */
function targetOf(
  config: Config,
  action: ActionOf<'graceful-restart'>,
  listenPorts: (pid: number) => number[] | null,
): Aim | string {
  const { pid } = action.target;
  const lock = readGatewayLockFor(config, pid);
  if (!lock?.ownerId) return `no gateway lock in ${config.paths.stateDir} names pid ${pid}`;
  if (!(listenPorts(pid) ?? []).includes(config.port))
    return `pid ${pid} does not hold port ${config.port}`;
  return { pid, ownerId: lock.ownerId, port: config.port };
}

function request(config: Config, reason: string, target: Aim, skipDeferral: boolean) {
  const params: Record<string, unknown> = {
    reason: `openclaw-watchdog: ${reason}`,
    ...(skipDeferral ? { skipDeferral: true } : {}),
    // A targeted request restarts only that gateway.
    safe: true,
    target,
  };
  return callGateway(config, [{ method: METHOD, params }], {
    scopes: ['operator.admin'],
    client: BACKEND_CLIENT,
    timeoutMs: RPC_TIMEOUT_MS,
  }).then(([answer]): RpcAnswer => answer ?? { ok: false, code: 'ERROR' });
}

function readGatewayLockFor(config: Config, pid: number) {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  const lock = readGatewayLock(gatewayLockPath(config.paths.stateDir, uid));
  return lock?.pid === pid ? lock : null;
}

function lockPid(config: Config): { pid: number; startTicks: number | null } | null {
  const uid = process.getuid?.();
  const lock =
    uid === undefined ? null : readGatewayLock(gatewayLockPath(config.paths.stateDir, uid));
  // A lock with a role (doctor at its SQLite work) names no gateway: never the one restarted.
  return lock && !lock.role && isSameProcess(lock.pid, lock.startTime)
    ? { pid: lock.pid, startTicks: lock.startTime }
    : null;
}

const restarting = (p: ProbeResult): boolean =>
  p.verdict !== 'healthy' || (p.startup !== null && p.startup !== 'started');

/** The gateway's uptime (/startupz or /readyz uptimeMs). */
function uptimeOf(p: ProbeResult): number | null {
  for (const step of [p.steps.startupz, p.steps.readyz]) {
    const body = step?.body as { uptimeMs?: unknown } | undefined;
    if (typeof body?.uptimeMs === 'number') return body.uptimeMs;
  }
  return null;
}

/** Its uptime went back: it restarted in place between two probes. */
function uptimeWentBack(
  p: ProbeResult,
  baseline: { uptime: number | null; at: number; slackMs: number },
  now: number,
): boolean {
  const uptime = uptimeOf(p);
  if (uptime === null || baseline.uptime === null) return false;
  return uptime + baseline.slackMs < baseline.uptime + (now - baseline.at);
}

function outcome(
  result: 'healthy' | 'pending',
  proc: { pid: number; startTicks: number | null } | null,
  startedAt: number,
  endedAt: number,
): RestartOutcome {
  return {
    method: 'rpc',
    pid: proc?.pid ?? null,
    startTicks: proc?.startTicks ?? null,
    startedAt,
    endedAt,
    result,
  };
}
