import { secs } from '../../units.js';
import { reached } from '../cadence.js';
import { memoryLimits, mib, type MemoryLimits } from './memory-limits.js';
import type { Signal } from './signal.js';
import { gracefulRestart } from './graceful-restart.js';
import type { Step } from '../step.js';
import type { GatewayTree } from '../types.js';

/** How many kinds of descendants memory_high names. */
const TOP = 5;
/** A memory_high or children_high incident ends only below this share of its level. */
export const END_BELOW = 0.9;

/**
 * The memory ceiling: the RSS of the live gateway and all its descendants. Above
 * memory.warnAboveMB (or the restart ceiling, if lower) `memory_high` alerts once per incident
 * (which ends only at or below 90 % of that level: no alert at every crossing);
 * above memory.restartAboveMB for memory.sustainSec across checks, a graceful restart (reason
 * `memory`) under backoff. A gateway still over the ceiling is never stable (backoff.ts), so one
 * that is over it again right after its restart runs into the backoff and `crash_loop`, not a
 * restart every check. No tree (no gateway known as ours): nothing is said, the sustain restarts.
 */
export const memorySignal: Signal = (step) => {
  const tree = step.obs.gatewayTree;
  if (!tree) {
    step.state = { ...step.state, memoryOverSince: null };
    return null;
  }
  const limits = memoryLimits(step.settings, tree);
  noteHigh(step, tree, limits);
  const { restartBytes } = limits;
  if (restartBytes === null || tree.rssBytes <= restartBytes) {
    step.state = { ...step.state, memoryOverSince: null };
    return null;
  }
  const since = step.state.memoryOverSince ?? step.now;
  step.state = { ...step.state, memoryOverSince: since };
  const { sustainSec, drainSec } = step.settings.memory;
  if (!reached(step.now, since, sustainSec * 1000, step.slackMs)) return null;
  const why = `gateway tree RSS ${mib(tree.rssBytes)} MiB above ${mib(restartBytes)} MiB for ${secs(step.now - since)} s`;
  const target = { pid: tree.pid, startTicks: tree.startTicks };
  const decision = gracefulRestart(step, 'memory', why, target, drainSec);
  // A restart starts a new sustain period; one deferred by backoff keeps it (restart when allowed).
  // Stryker disable next-line ConditionalExpression: a held decision's state is dropped (healthy() goes on with step.state)
  if (decision.actions.length) decision.state = { ...decision.state, memoryOverSince: null };
  return decision;
};

function noteHigh(step: Step, tree: GatewayTree, limits: MemoryLimits): void {
  const levels = [limits.warnBytes, limits.restartBytes].filter((b): b is number => b !== null);
  // The lower of the two; Infinity (neither set): never high.
  const level = Math.min(...levels);
  // Hysteresis: an open incident ends only below END_BELOW of the level (no alert per crossing).
  const open = step.state.memoryHighSince !== null;
  const high = tree.rssBytes > (open ? level * END_BELOW : level);
  if (!high) {
    step.state = { ...step.state, memoryHighSince: null };
    return;
  }
  if (step.state.memoryHighSince !== null) return;
  step.state = { ...step.state, memoryHighSince: step.now };
  const top = [{ name: 'gateway', count: 1, rssBytes: tree.gatewayRssBytes }, ...tree.kinds]
    .sort((a, b) => b.rssBytes - a.rssBytes)
    .slice(0, TOP)
    .map(({ name, count, rssBytes }) => ({ name, count, rssMB: mib(rssBytes) ?? 0 }));
  step.events.push({
    level: 'warn',
    event: 'memory_high',
    rssMB: mib(tree.rssBytes) ?? 0,
    warnAboveMB: mib(limits.warnBytes),
    restartAboveMB: mib(limits.restartBytes),
    top,
  });
}
