import type { IncidentKind, WatchdogEvent } from '../store/event-types.js';
import type { State } from '../store/state.js';
import { iso } from '../units.js';
import { backoffOver, graceSec, nextAllowedAt, recordRestartStarted } from './liveness/backoff.js';
import { deathOf } from './openclaw/downtime.js';
import type {
  Action,
  DecideSettings,
  Decision,
  GatewayProc,
  Observation,
  PortOwner,
  RestartReason,
  Status,
  WaitReason,
} from './types.js';

/** One check being decided: the rules read it and change `state` and `events` (local to it). */
export interface Step {
  settings: DecideSettings;
  obs: Observation;
  now: number;
  state: State;
  events: WatchdogEvent[];
  /** How early a limit measured between checks counts as reached (cadence.ts). */
  slackMs: number;
  /** A healthy check whose previous check already held a graceful restart for backoff
   * (restart_deferred said for this stretch); set by rules.ts healthy(). */
  heldBefore?: boolean;
  /** A healthy check: what the last check waited for (`waiting`, before this check cleared it);
   * set by rules.ts healthy(). */
  waitingBefore?: string | null;
  /** This healthy check held a stop for OpenClaw's own work (openclaw/hold-stop.ts): its stretch
   * (state.maintenance) goes on. */
  heldForOpenClaw?: true;
}

const CRASH_LOOP_AFTER = 5;
/** The longest single probe while verifying a restart: verify polls until restart.verifyTimeoutSec. */
export const VERIFY_PROBE_MS = 2000;

/** The status a check that waits shows, by why it waits. */
const WAIT_STATUS: Record<WaitReason, Status> = {
  starting: 'starting',
  booting: 'starting',
  not_listening: 'starting',
  unresponsive: 'unresponsive',
  backoff: 'deferred',
  updating: 'updating',
  maintenance: 'maintenance',
  breaker_window: 'down',
};

/** The status a check that restarts shows, by why it restarts. */
const RESTART_STATUS: Record<RestartReason, Status> = {
  crashed: 'down',
  not_listening: 'down',
  hung: 'hung',
  stuck_starting: 'hung',
  memory: 'degraded',
  channel: 'degraded',
  // Stryker disable next-line StringLiteral: the start after an update is decided in openclaw/update.ts with its own status, never through restartWith
  updated: 'updating',
  // Stryker disable next-line StringLiteral: the breaker's restart is decided in openclaw/safe-mode.ts with its own status, never through restartWith
  breaker: 'safe_mode',
};

export function result(
  step: Step,
  status: Status,
  detail: string,
  exitCode: 0 | 1,
  actions: Action[] = [],
): Decision {
  return { status, detail, actions, events: step.events, state: step.state, exitCode };
}

/** Not healthy, and this check waits rather than acts: say why, once per reason and stretch. */
export function waiting(step: Step, reason: WaitReason, detail: string, exitCode: 0 | 1): Decision {
  if (step.state.waiting !== reason) {
    step.events.push({ level: 'info', event: 'waiting', reason, detail });
    step.state = { ...step.state, waiting: reason };
  }
  return result(step, WAIT_STATUS[reason], detail, exitCode);
}

/** Opens a down or hung incident with its event, unless one is open already. */
export function openIncident(
  step: Step,
  kind: Exclude<IncidentKind, 'conflict'>,
  event: WatchdogEvent,
): void {
  const { state } = step;
  if (state.incident && state.incident.kind !== 'conflict') return;
  step.events.push(event);
  const since = state.unhealthySince ?? step.now;
  const died = kind === 'down' ? deathOf(state, step.obs, since) : null;
  step.state = { ...state, incident: { kind, since, ...(died ? { died } : {}) } };
}

/** The port is held by something not ours: never touched, said once per incident. */
export function conflict(step: Step): Decision {
  const owner = step.obs.portOwner;
  if (step.state.incident?.kind !== 'conflict') {
    step.events.push({
      level: 'error',
      event: 'port_conflict',
      pid: owner?.pid ?? null,
      name: owner?.name ?? null,
      verdict: step.obs.probe.verdict,
      holder: holderOf(owner),
    });
    step.state = { ...step.state, incident: { kind: 'conflict', since: step.now } };
  }
  const who = owner ? `pid ${owner.pid} (${owner.name})` : 'a process this user cannot see';
  return result(step, 'port-conflict', `the port is held by ${who}, ${HOLDER[holderOf(owner)]}`, 1);
}

type Holder = 'foreign' | 'other_gateway' | 'unattributed';
const HOLDER: Record<Holder, string> = {
  foreign: 'not an OpenClaw gateway; it is left alone',
  other_gateway: "another state dir's or profile's OpenClaw gateway; it is left alone",
  unattributed: 'an OpenClaw gateway that cannot be attributed to this watchdog; it is left alone',
};
const holderOf = (owner: PortOwner | null): Holder =>
  !owner?.gateway ? 'foreign' : owner.whose === 'other' ? 'other_gateway' : 'unattributed';

/** Restart (after stopping `stop`) when backoff allows; otherwise wait for it. */
export function restart(
  step: Step,
  reason: RestartReason,
  why: string,
  stop: GatewayProc[] = [],
): Decision {
  return restartWith(step, reason, why, () => restartActions(step, reason, stop));
}

/** Restart when backoff allows (recording the start), else wait for it (`restart_deferred`). */
export function restartWith(
  step: Step,
  reason: RestartReason,
  why: string,
  actions: () => Action[],
): Decision {
  const { settings, now } = step;
  const allowedAt = nextAllowedAt(step.state, settings, now);
  if (!backoffOver(step.state, allowedAt, now, step.slackMs)) {
    // Keep the capped time, so that a clock that jumped backwards cannot slide it forever.
    step.state = { ...step.state, restarts: { ...step.state.restarts, nextAllowedAt: allowedAt } };
    step.events.push({
      level: 'warn',
      event: 'restart_deferred',
      reason,
      nextAttemptAt: iso(allowedAt),
    });
    return waiting(
      step,
      'backoff',
      `${why}; restart deferred until ${iso(allowedAt)} (backoff)`,
      1,
    );
  }
  step.state = { ...recordRestartStarted(step.state, settings, now), waiting: null };
  noteCrashLoop(step);
  return result(step, RESTART_STATUS[reason], why, 1, actions());
}

function noteCrashLoop(step: Step): void {
  const { restarts, crashLoopNotified } = step.state;
  if (restarts.consecutive < CRASH_LOOP_AFTER || crashLoopNotified) return;
  // A crash loop within update.maxSec of OpenClaw's update: the update is named.
  const update = step.state.update;
  const recent = update && step.now - update.at < step.settings.update.maxSec * 1000;
  const afterUpdate = recent ? { afterUpdate: update.to } : {};
  step.events.push({
    level: 'error',
    event: 'crash_loop',
    consecutiveRestarts: restarts.consecutive,
    ...afterUpdate,
  });
  step.state = { ...step.state, crashLoopNotified: true };
}

/** Stop the targets, every orphan (whatever its age: the new gateway starts clean), restart. */
function restartActions(step: Step, reason: RestartReason, stop: GatewayProc[]): Action[] {
  const actions: Action[] = [];
  const targets = stop.map(({ pid, startTicks }) => ({ pid, startTicks }));
  if (targets.length) actions.push({ type: 'stop', targets, reason });
  actions.push(orphanAction(step, null), {
    type: 'restart',
    reason,
    probeTimeoutMs: Math.min(step.settings.probe.timeoutMs, VERIFY_PROBE_MS),
  });
  return actions;
}

/** Orphans at least minAgeSec old: reaped, or only listed with orphans.action "report". */
export function orphanAction(step: Step, minAgeSec: number | null): Action {
  const type = step.settings.orphans.action === 'report' ? 'report-orphans' : 'reap-orphans';
  return { type, minAgeSec, graceSec: graceSec(step.settings, step.state) };
}
