import { iso } from '../../units.js';
import { backoffOver, nextAllowedAt } from '../liveness/backoff.js';
import { beforeStop } from '../openclaw/hold-stop.js';
import { restartWith, result, VERIFY_PROBE_MS, type Step } from '../step.js';
import type { Decision, ProcRef, RestartReason } from '../types.js';

/**
 * Restart the live gateway `target` gracefully (see the `graceful-restart` action) when backoff
 * allows. A healthy gateway is not down: while backoff holds the restart, the decision is `held`
 * (no action, exit 0, the check goes on: signals.ts), `restart_deferred` is said once per stretch
 * of held checks (state.waiting `backoff` marks it), and the status shows `degraded`. A gateway
 * that needs it again right after is a crash loop. OpenClaw at work on itself (an update, doctor's
 * lock, a suspension) holds it too (openclaw/hold-stop.ts).
 */
export function gracefulRestart(
  step: Step,
  reason: RestartReason,
  why: string,
  target: ProcRef,
  drainSec: number,
): Decision {
  const allowedAt = nextAllowedAt(step.state, step.settings, step.now);
  if (!backoffOver(step.state, allowedAt, step.now, step.slackMs)) {
    const { restarts } = step.state;
    step.state = {
      ...step.state,
      restarts: { ...restarts, nextAllowedAt: allowedAt },
      waiting: 'backoff',
    };
    if (!step.heldBefore) {
      const nextAttemptAt = iso(allowedAt);
      step.events.push({ level: 'warn', event: 'restart_deferred', reason, nextAttemptAt });
      step.heldBefore = true;
    }
    const detail = `${why}; restart deferred until ${iso(allowedAt)} (backoff)`;
    return { ...result(step, 'degraded', detail, 0), held: true };
  }
  const probeTimeoutMs = Math.min(step.settings.probe.timeoutMs, VERIFY_PROBE_MS);
  // OpenClaw updating or maintaining itself holds the stop (its records read only now).
  return beforeStop(step, () =>
    restartWith(step, reason, why, () => [
      { type: 'graceful-restart', reason, target, drainSec, probeTimeoutMs },
    ]),
  );
}
