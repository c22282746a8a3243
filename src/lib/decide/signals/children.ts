import { END_BELOW } from './memory.js';
import type { Signal } from './signal.js';

/** How many kinds children_high names. */
const TOP = 8;

/**
 * Leaking children: more descendants of the live gateway than children.warnCount alert
 * `children_high` once per incident (it ends only at or below 90 % of warnCount), with counts by command name (the MCP chain under
 * service-child-relay / service-child-group-anchor, the standing workers, others). Alert only:
 * their RSS already counts toward the memory ceiling. Never acts.
 */
export const childrenSignal: Signal = (step) => {
  const tree = step.obs.gatewayTree;
  const warnCount = step.settings.children.warnCount;
  if (!tree) return null;
  // Hysteresis: an open incident ends only below 90 % of warnCount.
  const open = step.state.childrenHighSince !== null;
  if (warnCount === null || tree.descendants <= (open ? warnCount * END_BELOW : warnCount)) {
    step.state = { ...step.state, childrenHighSince: null };
    return null;
  }
  if (step.state.childrenHighSince !== null) return null;
  step.state = { ...step.state, childrenHighSince: step.now };
  const byName = [...tree.kinds]
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, TOP)
    .map(({ name, count }) => ({ name, count }));
  step.events.push({
    level: 'warn',
    event: 'children_high',
    count: tree.descendants,
    warnCount,
    byName,
  });
  return null;
};
