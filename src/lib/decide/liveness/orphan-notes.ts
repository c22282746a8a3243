import type { WatchdogEvent } from '../../store/event-types.js';
import { MAX_ORPHANS_NOTED } from '../../store/state-validate.js';
import type { State } from '../../store/state.js';

/** An orphan that cannot be attributed to this gateway or another: reported, never reaped. */
export interface UnattributedOrphan {
  pid: number;
  startTicks: number;
  name: string;
  rssBytes: number;
}

/** 32-bit FNV-1a of a process's identity (pid and start time): a pid reused later is another. */
export function orphanKey(o: { pid: number; startTicks: number }): number {
  let h = 0x811c9dc5;
  for (const ch of `${o.pid}:${o.startTicks}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * `orphans_found {reason: unattributed}` once per process, not on every scan: only the orphans this
 * scan finds that the last scan had not reported. What is remembered is this scan's set (a gone
 * process drops out), at most MAX_ORPHANS_NOTED of them (state.json has a fixed size): past that
 * many at once, the ones not remembered are reported again at the next scan. Pure.
 */
export function noteUnattributed(
  state: State,
  found: UnattributedOrphan[],
): { state: State; event: WatchdogEvent | null } {
  const noted = new Set(state.orphansNoted);
  const fresh = found.filter((o) => !noted.has(orphanKey(o)));
  // The ones already remembered first, so that a crowd of new ones does not push them out.
  const keep = [...found.filter((o) => noted.has(orphanKey(o))), ...fresh].slice(
    0,
    MAX_ORPHANS_NOTED,
  );
  const next = { ...state, orphansNoted: keep.map(orphanKey) };
  if (fresh.length === 0) return { state: next, event: null };
  const event: WatchdogEvent = {
    level: 'warn',
    event: 'orphans_found',
    count: fresh.length,
    pids: fresh.map((o) => o.pid),
    names: [...new Set(fresh.map((o) => o.name))],
    rssBytes: fresh.reduce((sum, o) => sum + o.rssBytes, 0),
    reason: 'unattributed',
  };
  return { state: next, event };
}
