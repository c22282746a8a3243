import type { GatewayTree } from './decide/types.js';
import { GATEWAY_STATES, gatewayState, type GatewayState } from './fleet/gateway-state.js';
import { basename, dirname } from 'node:path';
import { writeFileAtomic } from './store/atomic.js';
import { removeLeftoverTemps } from './store/leftover-temp.js';
import { emptyCounters, type Counters } from './store/counters.js';
import type { RestartReason } from './store/event-types.js';
import type { State } from './store/state.js';

/** One gateway's metrics: its watchdog's saved state and files, and what serve or the check saw. */
export interface MetricsInput {
  /** The `gateway` label on every series (fleet/names.ts). */
  gateway: string;
  port: number;
  /** OpenClaw's version as the gateway last said it (null: not answering). */
  version: string | null;
  /** How the watchdog starts it: `command`, `systemd` or `openclaw`. */
  serviceManager: string;
  up: boolean;
  paused: boolean;
  /** The one-hot state; when absent, from `up`, `paused` and the saved state. */
  gatewayState?: GatewayState;
  state: State;
  counters?: Counters;
  probeSeconds: number | null;
  now: number;
  /** The alert outbox: alerts waiting, and alerts ever dropped. */
  queued?: { alerts: number; dropped: number };
  /** The live gateway's tree: its RSS and descendants (absent: not read). */
  tree?: Pick<GatewayTree, 'rssBytes' | 'descendants'> | null;
  /** When the process holding the port started (Unix seconds). */
  startTimeSec?: number | null;
  /** The filesystems of the state dir and OpenClaw's logs: mount point and free share. */
  disk?: { fs: string; freeRatio: number }[];
  /** OpenClaw's unclean boots in its breaker's 300 s window (absent: not read). */
  uncleanBoots?: number | null;
  /** The cron cadence of the watchdog's checks (absent: not known here). */
  checkIntervalSec?: number | null;
  /** memory.warnAboveMB and memory.restartAboveMB, in bytes, when set. */
  memory?: { warnBytes: number | null; restartBytes: number | null };
}

type Labels = Record<string, string>;
type Sample = [Labels, number];
interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  samples: (g: MetricsInput) => Sample[];
}

export const RESTART_REASONS: readonly RestartReason[] = [
  'crashed',
  'not_listening',
  'hung',
  'stuck_starting',
  'memory',
  'channel',
  'updated',
];
const NOTIFY_KINDS = ['notify', 'heartbeat'];

const one = (v: number | boolean): Sample[] => [[{}, typeof v === 'boolean' ? (v ? 1 : 0) : v]];
const some = (v: number | null | undefined): Sample[] =>
  v === null || v === undefined ? [] : [[{}, v]];
const sec = (ms: number | null) => (ms === null ? 0 : ms / 1000);
const byKey = (keys: readonly string[], counts: Record<string, number>, label: string) =>
  [...new Set([...keys, ...Object.keys(counts)])].map((k): Sample => [
    { [label]: k },
    counts[k] ?? 0,
  ]);

const counters = (g: MetricsInput) => g.counters ?? emptyCounters();

const FAMILIES: Family[] = [
  {
    name: 'openclaw_watchdog_gateway_info',
    type: 'gauge',
    help: 'Always 1: the gateway port, OpenClaw version and how the watchdog starts it.',
    samples: (g) => [
      [
        {
          port: String(g.port),
          version: g.version ?? 'unknown',
          service_manager: g.serviceManager,
        },
        1,
      ],
    ],
  },
  {
    name: 'openclaw_watchdog_gateway_up',
    type: 'gauge',
    help: '1 when the gateway answers healthy.',
    samples: (g) => one(g.up),
  },
  {
    name: 'openclaw_watchdog_gateway_state',
    type: 'gauge',
    help: "The gateway's state, one-hot: 1 for the state it is in.",
    samples: (g) => {
      const now = g.gatewayState ?? stateOf(g);
      return GATEWAY_STATES.map((s): Sample => [{ state: s }, s === now ? 1 : 0]);
    },
  },
  {
    name: 'openclaw_watchdog_gateway_start_time_seconds',
    type: 'gauge',
    help: 'Unix time the gateway process holding the port started.',
    samples: (g) => some(g.startTimeSec),
  },
  {
    name: 'openclaw_watchdog_restarts_total',
    type: 'counter',
    help: 'Gateway restarts started by the watchdog, by reason.',
    samples: (g) => byKey(RESTART_REASONS, counters(g).restarts, 'reason'),
  },
  {
    name: 'openclaw_watchdog_consecutive_restarts',
    type: 'gauge',
    help: 'Restarts in the current streak (backoff).',
    samples: (g) => one(g.state.restarts.consecutive),
  },
  {
    name: 'openclaw_watchdog_last_restart_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last restart the watchdog started (0: none).',
    samples: (g) => one(sec(g.state.restarts.lastAt)),
  },
  {
    name: 'openclaw_watchdog_backoff_until_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time before which the watchdog will not restart again (0: no backoff).',
    samples: (g) => {
      const until = g.state.restarts.nextAllowedAt;
      return one(until !== null && until > g.now ? until / 1000 : 0);
    },
  },
  {
    name: 'openclaw_watchdog_unclean_boots_window',
    type: 'gauge',
    help: "OpenClaw's unclean boots in its crash-loop breaker's 300 s window (it trips at 3).",
    samples: (g) => some(g.uncleanBoots),
  },
  {
    name: 'openclaw_watchdog_channel_up',
    type: 'gauge',
    help: 'Per channel account: 1 when it was healthy at the last channel check.',
    samples: (g) =>
      g.state.channels.accounts.map((a): Sample => [
        { channel: a.channel, account: a.account },
        a.up ? 1 : 0,
      ]),
  },
  {
    name: 'openclaw_watchdog_gateway_tree_rss_bytes',
    type: 'gauge',
    help: 'RSS of the gateway and all its descendants.',
    samples: (g) => some(g.tree?.rssBytes),
  },
  {
    name: 'openclaw_watchdog_gateway_descendants',
    type: 'gauge',
    help: 'Descendant processes of the gateway.',
    samples: (g) => some(g.tree?.descendants),
  },
  {
    name: 'openclaw_watchdog_memory_warn_bytes',
    type: 'gauge',
    help: 'memory.warnAboveMB in bytes (absent: not set).',
    samples: (g) => some(g.memory?.warnBytes),
  },
  {
    name: 'openclaw_watchdog_memory_restart_bytes',
    type: 'gauge',
    help: 'memory.restartAboveMB in bytes: the tree RSS that restarts the gateway (absent: not set).',
    samples: (g) => some(g.memory?.restartBytes),
  },
  {
    name: 'openclaw_watchdog_orphans_reaped_total',
    type: 'counter',
    help: 'Orphaned gateway helpers reaped.',
    samples: (g) => one(g.state.orphansReapedTotal),
  },
  {
    name: 'openclaw_watchdog_disk_free_ratio',
    type: 'gauge',
    help: 'Free share (0-1) of the filesystem of the state dir and of OpenClaw logs, by mount point.',
    samples: (g) => (g.disk ?? []).map((d): Sample => [{ fs: d.fs }, d.freeRatio]),
  },
  {
    name: 'openclaw_watchdog_outbox_alerts',
    type: 'gauge',
    help: 'Undelivered alerts waiting for a retry.',
    samples: (g) => one(g.queued?.alerts ?? 0),
  },
  {
    name: 'openclaw_watchdog_alerts_dropped_total',
    type: 'counter',
    help: 'Undelivered alerts the outbox dropped.',
    samples: (g) => one(g.queued?.dropped ?? 0),
  },
  {
    name: 'openclaw_watchdog_notify_failures_total',
    type: 'counter',
    help: 'Failed notifications, by kind: notify (an alert channel), heartbeat.',
    samples: (g) => byKey(NOTIFY_KINDS, counters(g).notifyFailures, 'kind'),
  },
  {
    name: 'openclaw_watchdog_last_check_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last check (0: never).',
    samples: (g) => one(sec(g.state.lastCheckAt)),
  },
  {
    name: 'openclaw_watchdog_check_duration_seconds',
    type: 'gauge',
    help: 'How long the last check took.',
    samples: (g) => some(g.state.checkMs === null ? null : g.state.checkMs / 1000),
  },
  {
    name: 'openclaw_watchdog_check_interval_seconds',
    type: 'gauge',
    help: "The watchdog's cron cadence (from its crontab block).",
    samples: (g) => some(g.checkIntervalSec),
  },
  {
    name: 'openclaw_watchdog_probe_duration_seconds',
    type: 'gauge',
    help: 'Duration of the last probe.',
    samples: (g) => one(g.probeSeconds ?? 0),
  },
  {
    name: 'openclaw_watchdog_paused',
    type: 'gauge',
    help: '1 during a maintenance pause.',
    samples: (g) => one(g.paused),
  },
  {
    name: 'openclaw_watchdog_gateway_stopped_by_user',
    type: 'gauge',
    help: '1 while the gateway is down because the user stopped it (not restarted).',
    samples: (g) => one(g.state.userStopAt !== null),
  },
  {
    name: 'openclaw_watchdog_disk_low',
    type: 'gauge',
    help: "1 while a filesystem of the state dir or OpenClaw's log dir is below disk.warnFree*.",
    samples: (g) => one(g.state.diskLow.some((d) => d.since !== null)),
  },
  {
    name: 'openclaw_watchdog_memory_high',
    type: 'gauge',
    help: '1 during a memory_high incident.',
    samples: (g) => one(g.state.memoryHighSince !== null),
  },
  {
    name: 'openclaw_watchdog_memory_over_ceiling',
    type: 'gauge',
    help: '1 while above memory.restartAboveMB.',
    samples: (g) => one(g.state.memoryOverSince !== null),
  },
  {
    name: 'openclaw_watchdog_children_high',
    type: 'gauge',
    help: '1 during a children_high incident.',
    samples: (g) => one(g.state.childrenHighSince !== null),
  },
  {
    name: 'openclaw_watchdog_gateway_safe_mode',
    type: 'gauge',
    help: "1 while OpenClaw's crash-loop breaker suppresses the gateway's channels (safe mode).",
    samples: (g) => one(g.state.safeMode !== null),
  },
  {
    name: 'openclaw_watchdog_openclaw_at_work',
    type: 'gauge',
    help: '1 while OpenClaw updates or maintains itself (status updating/maintenance): left alone.',
    samples: (g) => one(Boolean(g.state.maintenance && !g.state.maintenance.stuckSaid)),
  },
  {
    name: 'openclaw_watchdog_event_loop_lag_checks',
    type: 'gauge',
    help: 'Consecutive checks with event-loop lag.',
    samples: (g) => one(g.state.lagChecks),
  },
];

/** The state from what the input has: the probe's up, the pause, the saved state. Pure. */
function stateOf(g: MetricsInput): GatewayState {
  const s = g.state;
  return gatewayState({
    verdict: g.up ? 'healthy' : (s.lastVerdict ?? 'down'),
    saved: s.maintenance?.kind ?? s.lastVerdict,
    paused: g.paused,
    stoppedByUser: s.userStopAt !== null,
    degraded: s.memoryOverSince !== null || s.channels.accounts.some((a) => !a.up),
    breakerTripped: s.safeMode !== null,
  });
}

/** A label value as the exposition format wants it: backslash, double quote and newline escaped. */
export const labelValue = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const labelText = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${labelValue(v)}"`)
    .join(',')}}`;

/**
 * Prometheus text exposition for one gateway or many (`serve --all`): each family once, a sample
 * per gateway, every sample labelled `gateway`. A family with no sample is left out. Pure.
 */
export function renderFleet(gateways: MetricsInput[]): string {
  return FAMILIES.map((f) => {
    const lines = gateways.flatMap((g) =>
      f
        .samples(g)
        .map(([labels, v]) => `${f.name}${labelText({ gateway: g.gateway, ...labels })} ${v}\n`),
    );
    return lines.length
      ? `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n${lines.join('')}`
      : '';
  }).join('');
}

/** One gateway's metrics. Pure. */
export const renderMetrics = (input: MetricsInput): string => renderFleet([input]);

/**
 * Writes node_exporter's textfile atomically. Mode 0644: the exporter usually runs as another
 * user, and the file holds no secret. Then removes what a writer killed mid-write left of this
 * file (`<file>.<16 hex>.tmp`, ours, 10 min old), and nothing else of that shared directory.
 */
export function writeTextfile(file: string, text: string): void {
  writeFileAtomic(file, text, { shared: true });
  removeLeftoverTemps(dirname(file), Date.now(), basename(file));
}
