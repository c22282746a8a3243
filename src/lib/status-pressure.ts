import type { Settings } from './config/schema.js';
import { memoryLimits, mib } from './decide/signals/memory-limits.js';
import type { GatewayTree } from './decide/types.js';
import type { ProbeResult } from './probe/types.js';
import type { State } from './store/state.js';
import { iso } from './units.js';

/** What status shows of the gateway's pressure signals: memory, children, event loop. */
export interface PressureReport {
  memory: {
    rssBytes: number;
    gatewayRssBytes: number;
    warnBytes: number | null;
    restartBytes: number | null;
    highSince: string | null;
    overSince: string | null;
  } | null;
  children: {
    count: number;
    warnCount: number | null;
    byName: { name: string; count: number; rssBytes: number }[];
    highSince: string | null;
  } | null;
  eventLoop: {
    p99Ms: number | null;
    maxMs: number | null;
    warnMs: number | null;
    lagChecks: number;
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Pure. */
export function pressureReport(
  settings: Pick<Settings, 'memory' | 'children' | 'eventLoop'>,
  state: State,
  tree: GatewayTree | null,
  probe: ProbeResult,
): PressureReport {
  const limits = tree ? memoryLimits(settings as Parameters<typeof memoryLimits>[0], tree) : null;
  return {
    memory:
      tree && limits
        ? {
            rssBytes: tree.rssBytes,
            gatewayRssBytes: tree.gatewayRssBytes,
            warnBytes: limits.warnBytes,
            restartBytes: limits.restartBytes,
            highSince: isoOrNull(state.memoryHighSince),
            overSince: isoOrNull(state.memoryOverSince),
          }
        : null,
    children: tree
      ? {
          count: tree.descendants,
          warnCount: settings.children.warnCount,
          byName: tree.kinds,
          highSince: isoOrNull(state.childrenHighSince),
        }
      : null,
    eventLoop: {
      p99Ms: num(probe.eventLoop?.delayP99Ms),
      maxMs: num(probe.eventLoop?.delayMaxMs),
      warnMs: settings.eventLoop.warnMs,
      lagChecks: state.lagChecks,
    },
  };
}

const MiBText = (bytes: number | null) => (bytes === null ? 'off' : `${mib(bytes)} MiB`);

/** The status lines (memory, children, loop), each only when there is something to say (a
 * gateway known as ours and read; an event-loop block). Pure. */
export function formatPressure(p: PressureReport): string[] {
  const lines: string[] = [];
  const m = p.memory;
  if (m)
    lines.push(
      `memory    ${MiBText(m.rssBytes)} (gateway ${MiBText(m.gatewayRssBytes)}); warn above ${MiBText(m.warnBytes)}, restart above ${MiBText(m.restartBytes)}${m.overSince ? `; over the ceiling since ${m.overSince}` : m.highSince ? `; high since ${m.highSince}` : ''}`,
    );
  const c = p.children;
  if (c)
    lines.push(
      `children  ${c.count}${
        c.byName.length
          ? ` (${c.byName
              .slice(0, 5)
              .map((k) => `${k.name} ${k.count}`)
              .join(', ')})`
          : ''
      }; warn above ${c.warnCount ?? 'off'}${c.highSince ? `; high since ${c.highSince}` : ''}`,
    );
  const e = p.eventLoop;
  if (e.p99Ms !== null || e.maxMs !== null || e.lagChecks > 0)
    lines.push(
      `loop      p99 ${e.p99Ms ?? '?'} ms, max ${e.maxMs ?? '?'} ms; warn above ${e.warnMs === null ? 'off' : `${e.warnMs} ms`}${e.lagChecks ? `; lagging ${e.lagChecks} checks in a row` : ''}`,
    );
  return lines;
}
