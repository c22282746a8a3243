import type { GatewayTree } from './decide/types.js';
import { writeFileAtomic } from './store/atomic.js';
import type { State } from './store/state.js';

export interface MetricsInput {
  up: boolean;
  paused: boolean;
  state: State;
  probeSeconds: number | null;
  now: number;
  /** The alert outbox: alerts waiting, and alerts ever dropped. */
  queued?: { alerts: number; dropped: number };
  /** The live gateway's tree this check read (healthy checks): its RSS and descendants. */
  tree?: GatewayTree | null;
}

const METRICS: [string, string, string][] = [
  ['openclaw_watchdog_gateway_up', 'gauge', '1 when the last check found the gateway healthy.'],
  ['openclaw_watchdog_restarts_total', 'counter', 'Gateway restarts started by the watchdog.'],
  ['openclaw_watchdog_consecutive_restarts', 'gauge', 'Restarts in the current streak (backoff).'],
  ['openclaw_watchdog_orphans_reaped_total', 'counter', 'Orphaned gateway helpers reaped.'],
  ['openclaw_watchdog_last_check_timestamp_seconds', 'gauge', 'Unix time of the last check.'],
  ['openclaw_watchdog_probe_duration_seconds', 'gauge', 'Duration of the last probe.'],
  ['openclaw_watchdog_paused', 'gauge', '1 during a maintenance pause.'],
  ['openclaw_watchdog_outbox_alerts', 'gauge', 'Undelivered alerts waiting for a retry.'],
  ['openclaw_watchdog_alerts_dropped_total', 'counter', 'Undelivered alerts the outbox dropped.'],
  [
    'openclaw_watchdog_gateway_stopped_by_user',
    'gauge',
    '1 while the gateway is down because the user stopped it (not restarted).',
  ],
  [
    'openclaw_watchdog_disk_low',
    'gauge',
    "1 while a filesystem of the state dir or OpenClaw's log dir is below disk.warnFree*.",
  ],
  ['openclaw_watchdog_memory_high', 'gauge', '1 during a memory_high incident.'],
  ['openclaw_watchdog_memory_over_ceiling', 'gauge', '1 while above memory.restartAboveMB.'],
  ['openclaw_watchdog_children_high', 'gauge', '1 during a children_high incident.'],
  ['openclaw_watchdog_event_loop_lag_checks', 'gauge', 'Consecutive checks with event-loop lag.'],
  [
    'openclaw_watchdog_gateway_safe_mode',
    'gauge',
    "1 while OpenClaw's crash-loop breaker suppresses the gateway's channels (safe mode).",
  ],
];

/** Read from the gateway's tree: only when this check read it. */
const TREE_METRICS: [string, string, string][] = [
  ['openclaw_watchdog_gateway_rss_bytes', 'gauge', 'RSS of the gateway and all its descendants.'],
  ['openclaw_watchdog_gateway_descendants', 'gauge', 'Descendant processes of the gateway.'],
];

/** Prometheus text exposition format. Pure. */
export function renderMetrics(input: MetricsInput): string {
  const { up, paused, state, probeSeconds, now, queued, tree } = input;
  const values: Record<string, number> = {
    openclaw_watchdog_gateway_up: up ? 1 : 0,
    openclaw_watchdog_restarts_total: state.restarts.total,
    openclaw_watchdog_consecutive_restarts: state.restarts.consecutive,
    openclaw_watchdog_orphans_reaped_total: state.orphansReapedTotal,
    openclaw_watchdog_last_check_timestamp_seconds: (state.lastCheckAt ?? now) / 1000,
    openclaw_watchdog_probe_duration_seconds: probeSeconds ?? 0,
    openclaw_watchdog_paused: paused ? 1 : 0,
    openclaw_watchdog_outbox_alerts: queued?.alerts ?? 0,
    openclaw_watchdog_alerts_dropped_total: queued?.dropped ?? 0,
    openclaw_watchdog_gateway_stopped_by_user: state.userStopAt !== null ? 1 : 0,
    openclaw_watchdog_disk_low: state.diskLow.some((d) => d.since !== null) ? 1 : 0,
    openclaw_watchdog_memory_high: state.memoryHighSince !== null ? 1 : 0,
    openclaw_watchdog_memory_over_ceiling: state.memoryOverSince !== null ? 1 : 0,
    openclaw_watchdog_children_high: state.childrenHighSince !== null ? 1 : 0,
    openclaw_watchdog_event_loop_lag_checks: state.lagChecks,
    openclaw_watchdog_gateway_safe_mode: state.safeMode ? 1 : 0,
    ...(tree
      ? {
          openclaw_watchdog_gateway_rss_bytes: tree.rssBytes,
          openclaw_watchdog_gateway_descendants: tree.descendants,
        }
      : {}),
  };
  return (
    [...METRICS, ...(tree ? TREE_METRICS : [])]
      .map(
        ([name, type, help]) =>
          `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${values[name]}\n`,
      )
      .join('') + channelMetrics(state)
  );
}

/** A label value as the exposition format wants it: backslash, double quote and newline escaped. */
export const labelValue = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** One line per channel account followed (state.channels), 1 when up at the last look. */
function channelMetrics(state: State): string {
  const name = 'openclaw_watchdog_channel_up';
  const lines = state.channels.accounts.map(
    (a) =>
      `${name}{channel="${labelValue(a.channel)}",account="${labelValue(a.account)}"} ${a.up ? 1 : 0}\n`,
  );
  const help = `# HELP ${name} 1 when the channel account was healthy at the last channel check.\n# TYPE ${name} gauge\n`;
  return lines.length ? help + lines.join('') : '';
}

/**
 * Writes node_exporter's textfile atomically. Mode 0644: the exporter usually runs as another
 * user, and the file holds no secret.
 */
export function writeTextfile(file: string, text: string): void {
  writeFileAtomic(file, text, { shared: true });
}
