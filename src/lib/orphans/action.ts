import type { Settings } from '../config/schema.js';
import type { GatewayIdentity } from '../procs/attribute.js';
import type { Proc } from '../procs/proc-stat.js';
import { listProcesses } from '../procs/table.js';
import type { WatchdogEvent } from '../store/events.js';
import type { Orphan } from './classify.js';
import { findOrphans, reapOrphans } from './reap.js';

export interface OrphanRun {
  found: Orphan[];
  reaped: number[];
  survivors: number[];
  events: WatchdogEvent[];
  /** Found but attributable to no gateway: reported once each (decide/liveness/orphan-notes.ts). */
  unattributed: Orphan[];
}

export interface OrphanActionOptions {
  settings: Settings;
  minAgeSec: number | null;
  graceSec: number;
  /** The live gateway, as far as it is known without a /proc walk (spawned pid, validated lock). */
  livePids: number[];
  /** The pid on the gateway's port: looked up only when there are candidates to reap. */
  portOwner?: () => number | null;
  /** The pid OpenClaw's lifecycle lock names (a gateway, or doctor at its SQLite work: an
   * `openclaw-doctor` matches `openclaw-*`): never reaped. Read only when there are candidates. */
  lockOwner?: () => number | null;
  identity: GatewayIdentity;
  /** Only report (orphans.action "report", or --dry-run). */
  reportOnly: boolean;
  table?: Proc[];
}

const summary = (orphans: Orphan[]) => ({
  count: orphans.length,
  pids: orphans.map((o) => o.pid),
  names: [...new Set(orphans.map((o) => o.name))],
  rssBytes: orphans.reduce((sum, o) => sum + o.rssBytes, 0),
});

/** Finds orphans and reaps (or reports) them. Arguments are never logged: they can hold secrets. */
export async function runOrphanAction(options: OrphanActionOptions): Promise<OrphanRun> {
  const table = options.table ?? (await listProcesses());
  const live = [...options.livePids];
  const find = () =>
    findOrphans(table, {
      patterns: options.settings.orphans.patterns,
      livePids: live,
      minAgeSec: options.minAgeSec,
      graceSec: options.graceSec,
      identity: options.identity,
    });
  let found = find();
  const owner = found.length && options.portOwner ? options.portOwner() : null;
  const holder = found.length && options.lockOwner ? options.lockOwner() : null;
  if (owner !== null || holder !== null) {
    for (const pid of [owner, holder]) if (pid !== null) live.push(pid);
    found = find();
  }
  if (found.length === 0) return { found, reaped: [], survivors: [], events: [], unattributed: [] };
  // One that cannot be attributed to this gateway (or another) is never reaped: only reported.
  const unattributed = found.filter((o) => o.whose === 'unknown');
  const ours = found.filter((o) => o.whose === 'ours');
  if (options.reportOnly || ours.length === 0) {
    const events: WatchdogEvent[] = ours.length
      ? [{ level: 'warn', event: 'orphans_found', ...summary(ours) }]
      : [];
    return { found, reaped: [], survivors: [], events, unattributed };
  }
  const result = await reapOrphans(ours, live, options.settings.orphans.killTimeoutSec * 1000);
  const gone = new Set(result.stopped);
  const reapedOrphans = ours.filter((o) => gone.has(o.pid));
  const event: WatchdogEvent = {
    level: 'warn',
    event: 'orphans_reaped',
    ...summary(reapedOrphans),
    killed: result.killed,
  };
  if (result.survivors.length) event.survivors = result.survivors;
  return {
    found,
    reaped: reapedOrphans.map((o) => o.pid),
    survivors: result.survivors,
    events: [event],
    unattributed,
  };
}
