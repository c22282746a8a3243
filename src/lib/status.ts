import type { Config } from './config/load.js';
import { graceSec } from './decide/liveness/backoff.js';
import { watchdogFiles } from './files.js';
import { observe } from './observe.js';
import { findOrphans } from './orphans/reap.js';
import { probeGateway, probeOptions } from './probe/index.js';
import type { ProbeResult } from './probe/types.js';
import { identityOf } from './procs/facts.js';
import { lockHolderPid } from './procs/gateway-lock.js';
import { readProc } from './procs/table.js';
import { readRecentEvents } from './store/events.js';
import { readPause, type Pause } from './store/pause.js';
import { loadState, type State } from './store/state.js';
import { loadOutbox, type Outbox } from './store/outbox.js';
import { pressureReport, type PressureReport } from './status-pressure.js';
import { iso } from './units.js';
import { readBootLedger } from './openclaw/boot-ledger.js';
import { stoppedByUser } from './decide/on-purpose/user-stop.js';
import { freePercent, lowFilesystems } from './decide/signals/disk.js';
import { channelsStatus, type ChannelsStatus } from './channels/status.js';

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export interface StatusReport {
  gateway: {
    healthy: boolean;
    state: string;
    host: string;
    port: number;
    pid: number | null;
    uptimeSec: number | null;
    probe: ProbeResult;
  };
  restarts: {
    total: number;
    consecutive: number;
    lastAt: string | null;
    nextAllowedAt: string | null;
    /** A restart the last check wanted waits for the backoff (of a healthy gateway: memory, a
     * channel; the check itself exits 0). */
    deferred: boolean;
  };
  orphans: {
    count: number;
    rssBytes: number;
    list: { pid: number; name: string; ageSec: number; rssBytes: number }[];
  };
  paused: { until: string; reason: string | null } | null;
  /** Alerts waiting for a later check to deliver them (notify/outbox). */
  outbox: OutboxStatus;
  /** The gateway is down because the user stopped it (state `stopped`): not restarted. */
  stoppedByUser: { at: string; source: 'openclaw' | 'systemd'; pid: number | null } | null;
  disk: {
    paths: string[];
    freeBytes: number;
    totalBytes: number;
    freePercent: number;
    low: boolean;
  }[];
  channels: ChannelsStatus;
  /** OpenClaw's safe mode (/readyz `suppressed` now): the channels its crash-loop breaker holds,
   * since when (the checks' incident, when one is open), and the unclean boots in its window. */
  safeMode: {
    channels: string[];
    since: string | null;
    uncleanBoots: number | null;
    recoverSentAt: string | null;
  } | null;
  /** OpenClaw's own lifecycle as the last check saw it (from state, no read): an update or
   * maintenance left alone since when, and the last update the watchdog started the gateway after. */
  openclaw: {
    atWork: { kind: 'updating' | 'maintenance'; since: string; stuck: boolean } | null;
    lastUpdate: { from: string | null; to: string | null; at: string } | null;
  };
  /** Memory, children and the event loop (what a healthy check reads besides the port). */
  pressure: PressureReport;
  lastCheckAt: string | null;
  lastVerdict: string | null;
  recentEvents: Record<string, unknown>[];
}

/**
 * Saved state plus one live probe, and what a check would observe now (whatever the probe says):
 * the pid on the port, and the orphans there are, with the live gateway and the port's owner spared.
 */
export async function gatherStatus(
  config: Config,
  probe?: ProbeResult,
  now = Date.now(),
): Promise<StatusReport> {
  const files = watchdogFiles(config);
  const { state } = loadState(files.state);
  const live = probe ?? (await probeGateway(probeOptions(config)));
  const obs = await observe(config, live, state, now, { always: true });
  // Another state dir's gateway on our port (ours down, its lock stale): a port conflict, as the
  // check decides it, never our healthy gateway.
  const foreign = obs.portOwner?.gateway === true && obs.portOwner.whose === 'other';
  const pid = foreign ? null : (obs.portOwner?.pid ?? null);
  const proc = pid !== null ? (obs.table.find((p) => p.pid === pid) ?? readProc(pid)) : null;
  const orphans = findOrphans(obs.table, {
    patterns: config.settings.orphans.patterns,
    // As the check spares them (act/orphans.ts): the live gateway, the port's owner, the lock's
    // holder.
    livePids: [
      ...(pid !== null ? [pid] : []),
      ...obs.live,
      ...[lockHolderPid(config.paths.stateDir, process.getuid?.() ?? 0)].filter(
        (p): p is number => p !== null,
      ),
    ],
    minAgeSec: null,
    graceSec: graceSec(config.settings, state),
    identity: identityOf(config),
  });
  const stop = stoppedByUser(state, obs);
  const suppressed = live.verdict === 'healthy' ? (live.suppressed ?? []) : [];
  const filesystems = obs.disk?.filesystems ?? [];
  const low = lowFilesystems(config.settings.disk, filesystems);
  return {
    gateway: {
      healthy: live.verdict === 'healthy' && suppressed.length === 0 && !foreign,
      state: stop
        ? 'stopped'
        : foreign
          ? 'port-conflict'
          : suppressed.length
            ? 'safe_mode'
            : live.verdict,
      host: config.host,
      port: config.port,
      pid,
      uptimeSec: proc ? Math.round(proc.ageSec) : null,
      probe: live,
    },
    restarts: {
      total: state.restarts.total,
      consecutive: state.restarts.consecutive,
      lastAt: isoOrNull(state.restarts.lastAt),
      nextAllowedAt:
        state.restarts.nextAllowedAt && state.restarts.nextAllowedAt > now
          ? iso(state.restarts.nextAllowedAt)
          : null,
      deferred: state.waiting === 'backoff',
    },
    orphans: {
      count: orphans.length,
      rssBytes: orphans.reduce((s, o) => s + o.rssBytes, 0),
      list: orphans.map(({ pid: p, name, ageSec, rssBytes }) => ({
        pid: p,
        name,
        ageSec: Math.round(ageSec),
        rssBytes,
      })),
    },
    paused: activePause(readPause(files.dir), now),
    outbox: outboxStatus(loadOutbox(files.outbox).outbox),
    stoppedByUser: stop && { at: iso(stop.at), source: stop.source, pid: stop.pid },
    disk: filesystems.map((fs) => ({ ...fs, freePercent: freePercent(fs), low: low.includes(fs) })),
    channels: channelsStatus(state.channels),
    safeMode: safeModeStatus(config, suppressed, state, now),
    openclaw: openclawStatus(state),
    pressure: pressureReport(config.settings, state, obs.gatewayTree ?? null, live),
    lastCheckAt: isoOrNull(state.lastCheckAt),
    lastVerdict: state.lastVerdict,
    recentEvents: readRecentEvents(files.events, 10),
  };
}

/** Safe mode as status shows it: the ledger read only when /readyz says so. */
function safeModeStatus(
  config: Config,
  suppressed: string[],
  state: ReturnType<typeof loadState>['state'],
  now: number,
): StatusReport['safeMode'] {
  if (!suppressed.length) return null;
  const ledger = readBootLedger(config.paths.stateDir, now);
  return {
    channels: suppressed,
    since: isoOrNull(state.safeMode?.since ?? null),
    uncleanBoots: ledger.ok ? ledger.value.uncleanBoots : null,
    recoverSentAt: isoOrNull(state.safeMode?.recoverAt ?? null),
  };
}

function openclawStatus(state: State): StatusReport['openclaw'] {
  const m = state.maintenance ?? null;
  const u = state.update ?? null;
  return {
    atWork: m && { kind: m.kind, since: iso(m.since), stuck: m.stuckSaid },
    lastUpdate: u && { from: u.from, to: u.to, at: iso(u.at) },
  };
}

export function activePause(pause: Pause | null, now: number): StatusReport['paused'] {
  return pause && pause.until > now ? { until: iso(pause.until), reason: pause.reason } : null;
}

export interface OutboxStatus {
  alerts: number;
  oldestAt: string | null;
  dropped: number;
  /** Channels with alerts waiting: label (never a secret), how many, the last error, next try. */
  channels: { label: string; alerts: number; error: string; nextAttemptAt: string }[];
}

export function outboxStatus(outbox: Outbox): OutboxStatus {
  const oldest = outbox.alerts.reduce<number | null>(
    (m, a) => (m === null || a.at < m ? a.at : m),
    null,
  );
  return {
    alerts: outbox.alerts.length,
    oldestAt: isoOrNull(oldest),
    dropped: outbox.dropped,
    channels: Object.entries(outbox.retry).map(([key, r]) => ({
      label: r.label,
      alerts: outbox.alerts.filter((a) => a.channel === key).length,
      error: r.error,
      nextAttemptAt: iso(r.nextAttemptAt),
    })),
  };
}
