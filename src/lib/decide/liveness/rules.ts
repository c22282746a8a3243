import { secs } from '../../units.js';
import { reached } from '../cadence.js';
import { resetIfStable } from './backoff.js';
import { markHealthy } from './healthy.js';
import { orphanScanDue } from './orphan-cadence.js';
import { SIGNALS } from '../signals/signals.js';
import {
  conflict,
  openIncident,
  orphanAction,
  restart,
  result,
  waiting,
  type Step,
} from '../step.js';
import { holdForBreaker, noteStartNearBreaker } from '../openclaw/breaker.js';
import { safeMode } from '../openclaw/safe-mode.js';
import type { Decision, GatewayProc, RestartReason } from '../types.js';

/** One rule per situation a check can find. Each reads the step and returns the decision. */

/** Healthy: close the incident, read the signals besides the port (signals.ts; one may act, one
 * held by backoff makes the check `degraded`, exit 0), reap old orphans when a pass is due
 * (orphan-cadence.ts). */
export function healthy(step: Step): Decision {
  // A graceful restart held by backoff at the last check, a healthy one: this stretch has said
  // restart_deferred. (A down or hung check deferred by backoff waits too; its stretch is another.)
  step.heldBefore = step.state.waiting === 'backoff' && step.state.healthySince !== null;
  step.waitingBefore = step.state.waiting;
  const marked = markHealthy(step.state, step.now, step.obs.spawnedAlive === true);
  step.events.push(...marked.events);
  step.state = resetIfStable(marked.state, step.settings, step.now, step.slackMs);
  // OpenClaw's safe mode: its signals wait (a restart inside the breaker window trips it again).
  const safe = safeMode(step);
  if (safe) return safe;
  let held: Decision | null = null;
  for (const signal of SIGNALS) {
    const decision = signal(step);
    if (decision?.held) held ??= decision;
    else if (decision) return decision;
  }
  const [status, detail] = held
    ? (['degraded', held.detail] as const)
    : (['healthy', step.obs.probe.reason] as const);
  if (!orphanScanDue(step.settings, step.state, step.now, step.slackMs))
    return result(step, status, detail, 0, []);
  const reap = orphanAction(step, step.settings.orphans.minAgeSec);
  step.state = { ...step.state, orphansScannedAt: step.now };
  return result(step, status, detail, 0, [reap]);
}

/** /startupz says starting or draining: wait up to the grace (longer while a gateway is young). */
export function starting(step: Step, young: GatewayProc | undefined, grace: number): Decision {
  const since = step.state.startingSince ?? step.now;
  step.state = { ...step.state, startingSince: since };
  if (young || !reached(step.now, since, grace, step.slackMs))
    return waiting(step, 'starting', step.obs.probe.reason, 0);
  const why = `still ${step.obs.probe.startup ?? 'starting'} after ${secs(step.now - since)} s`;
  return stopAndRestart(step, 'gateway_hung', why, 'stuck_starting');
}

/** A gateway younger than the grace, never seen healthy since it started: it is booting. */
export function booting(step: Step, young: GatewayProc, grace: number): Decision {
  const detail = `gateway pid ${young.pid} is ${Math.round(young.ageSec)} s old (grace ${grace / 1000} s)`;
  return waiting(step, 'booting', detail, 0);
}

/** Nothing listens: restart at once, or after the grace when our gateway is alive but deaf. */
export function refused(step: Step, grace: number): Decision {
  const { now } = step;
  const alive = step.obs.gateways.find((g) => g.ours);
  if (!alive) {
    const reason = 'nothing listens on the port';
    openIncident(step, 'down', { level: 'error', event: 'gateway_down', reason });
    return holdForBreaker(step) ?? started(step, restart(step, 'crashed', reason), 'crashed');
  }
  const seen = step.state.notListening;
  const since = seen?.pid === alive.pid ? seen.since : now;
  step.state = { ...step.state, notListening: { pid: alive.pid, since } };
  if (!reached(now, since, grace, step.slackMs)) {
    const detail = `gateway pid ${alive.pid} is alive but not listening (${secs(now - since)} s)`;
    return waiting(step, 'not_listening', detail, 0);
  }
  const reason = 'gateway alive but not listening';
  openIncident(step, 'down', { level: 'error', event: 'gateway_down', reason, pid: alive.pid });
  const why = `gateway pid ${alive.pid} has not listened for ${secs(now - since)} s`;
  return started(step, restart(step, 'not_listening', why, ours(step)), 'not_listening');
}

/** Accepts connections but answers nothing (or oddly): hung after probe.hungAfterSec across checks. */
export function unresponsive(step: Step): Decision {
  const { now } = step;
  const hungAfterSec = step.settings.probe.hungAfterSec;
  step.state = { ...step.state, notListening: null };
  const since = step.state.unresponsiveSince ?? now;
  if (step.state.unresponsiveSince === null) {
    const reason = step.obs.probe.reason;
    step.events.push({ level: 'warn', event: 'gateway_unresponsive', reason });
  }
  step.state = { ...step.state, unresponsiveSince: since };
  if (!reached(now, since, hungAfterSec * 1000, step.slackMs)) {
    const detail = `unresponsive for ${secs(now - since)} s (hung after ${hungAfterSec} s)`;
    return waiting(step, 'unresponsive', detail, 1);
  }
  return stopAndRestart(step, 'gateway_hung', `unresponsive for ${secs(now - since)} s`, 'hung');
}

/** Only a positively identified holder that is not ours is a conflict at once: a program that is
 * not a gateway, or a gateway attributed to another state dir / profile, or to nobody. A holder
 * nobody can see (another user's, or a gateway whose threads are still exiting) waits out the
 * hung timer first. */
export function foreignHolder(step: Step): boolean {
  const owner = step.obs.portOwner;
  const v = step.obs.probe.verdict;
  if (owner?.gateway) return owner.whose !== 'ours';
  return v === 'not-openclaw' || (v === 'unresponsive' && owner !== null);
}

/** Stop our gateways (and the gateway on the port), then restart; nothing to stop is a conflict. */
function stopAndRestart(
  step: Step,
  event: 'gateway_hung',
  why: string,
  reason: 'hung' | 'stuck_starting',
): Decision {
  const owner = step.obs.portOwner;
  const targets = ours(step);
  if (owner?.gateway && owner.whose === 'ours' && !targets.some((g) => g.pid === owner.pid)) {
    const { pid, startTicks, name: title } = owner;
    // Stryker disable next-line BooleanLiteral: a stop target is its pid and start time; `ours` is not read after this
    targets.push({ pid, startTicks, ageSec: 0, title, ours: true });
  }
  // Nothing listed and no holder seen: nothing of ours to stop (the targets come from these two).
  if (owner === null && step.obs.gateways.length === 0) return conflict(step);
  openIncident(step, 'hung', { level: 'error', event, reason: why });
  return started(step, restart(step, reason, why, targets), reason);
}

/** A start decided: said when OpenClaw's boot ledger is near its breaker (openclaw/breaker.ts). */
function started(step: Step, decision: Decision, reason: RestartReason): Decision {
  noteStartNearBreaker(step, decision, reason);
  return decision;
}

const ours = (step: Step): GatewayProc[] => step.obs.gateways.filter((g) => g.ours);
