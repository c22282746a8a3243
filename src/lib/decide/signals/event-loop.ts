import type { Signal } from './signal.js';

// Number.isFinite never coerces: a string or Infinity is no number here.
const num = (v: unknown): number | null => (Number.isFinite(v) ? (v as number) : null);

/**
 * Event-loop lag, from the `eventLoop` block /readyz returns: p99 or max delay above
 * eventLoop.warnMs on eventLoop.afterChecks consecutive healthy checks alerts `event_loop_lag`,
 * once per stretch (a check without lag ends it). Never a restart: probe.hungAfterSec covers a
 * full stall, and a cold start lags.
 */
export const eventLoopSignal: Signal = (step) => {
  const { warnMs, afterChecks } = step.settings.eventLoop;
  const loop = step.obs.probe.eventLoop ?? null;
  const p99Ms = num(loop?.delayP99Ms);
  const maxMs = num(loop?.delayMaxMs);
  const lagging = warnMs !== null && Math.max(p99Ms ?? 0, maxMs ?? 0) > warnMs;
  if (!lagging) {
    // Stryker disable next-line ConditionalExpression: a copy with the same count changes nothing
    if (step.state.lagChecks !== 0) step.state = { ...step.state, lagChecks: 0 };
    return null;
  }
  const checks = Math.min(step.state.lagChecks + 1, afterChecks);
  if (checks === afterChecks && step.state.lagChecks < afterChecks)
    step.events.push({ level: 'warn', event: 'event_loop_lag', p99Ms, maxMs, warnMs, checks });
  step.state = { ...step.state, lagChecks: checks };
  return null;
};
