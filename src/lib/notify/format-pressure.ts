import type { EventOf } from '../store/event-types.js';

/** The alert lines of the gateway's pressure signals: memory, children, event loop. Pure. */

export function describeMemoryHigh(e: EventOf<'memory_high'>): string {
  const limit = e.restartAboveMB ?? e.warnAboveMB;
  const over =
    e.restartAboveMB !== null && (e.warnAboveMB === null || e.restartAboveMB <= e.warnAboveMB)
      ? `restart ceiling ${e.restartAboveMB} MiB`
      : `warning level ${e.warnAboveMB} MiB`;
  const top = e.top.map((t) => `${t.name}${t.count > 1 ? ` ×${t.count}` : ''} ${t.rssMB} MiB`);
  return `memory high: gateway and its children use ${e.rssMB} MiB RSS, above the ${limit === null ? 'limit' : over}${top.length ? ` (${top.join(', ')})` : ''}`;
}

export function describeChildrenHigh(e: EventOf<'children_high'>): string {
  const byName = e.byName.map((k) => `${k.name} ×${k.count}`).join(', ');
  return `children high: the gateway has ${e.count} descendant processes (more than ${e.warnCount})${byName ? `: ${byName}` : ''}`;
}

export function describeEventLoopLag(e: EventOf<'event_loop_lag'>): string {
  const seen = [
    e.p99Ms !== null ? `p99 ${e.p99Ms} ms` : null,
    e.maxMs !== null ? `max ${e.maxMs} ms` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `event loop lag: ${seen} above ${e.warnMs} ms on ${e.checks} checks in a row`;
}
