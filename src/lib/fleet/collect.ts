/**
 * One gateway's metrics and status, as `serve` shows them: its watchdog's saved state and files,
 * one live probe, and what status reads besides (the port's owner, its tree, the disks). Read on
 * a scrape, never by the check.
 */
import type { Config } from '../config/load.js';
import { watchdogFiles } from '../files.js';
import type { MetricsInput } from '../metrics.js';
import type { ProbeResult } from '../probe/types.js';
import { activePause, gatherStatus, type StatusReport } from '../status.js';
import { loadCounters } from '../store/counters.js';
import { readBootLedger } from '../openclaw/boot-ledger.js';
import { readPause } from '../store/pause.js';
import { loadState } from '../store/state.js';
import { serviceManager } from './gateway-info.js';
import { gatewayState } from './gateway-state.js';
import { mountOf, mountPoints } from './mounts.js';

export interface Collected {
  metrics: MetricsInput;
  status: StatusReport;
}

export async function collectGateway(
  config: Config,
  probe: ProbeResult,
  opts: { gateway: string; everySec: number | null; now?: number },
): Promise<Collected> {
  const now = opts.now ?? Date.now();
  const files = watchdogFiles(config);
  const status = await gatherStatus(config, probe, now);
  const { state } = loadState(files.state);
  const paused = activePause(readPause(files.dir), now) !== null;
  const up = probe.verdict === 'healthy';
  const memory = status.pressure.memory;
  const mounts = mountPoints();
  // OpenClaw's boot ledger (read-only): its breaker's unclean boots, and whether it tripped
  const ledger = readBootLedger(config.paths.stateDir, now);
  const stateName = gatewayState({
    verdict: probe.verdict,
    saved: state.maintenance?.kind ?? state.lastVerdict,
    paused,
    stoppedByUser: status.stoppedByUser !== null,
    degraded: state.memoryOverSince !== null || state.channels.accounts.some((a) => !a.up),
    // the last check's safe mode (/readyz suppressed), status's live look, or the ledger
    breakerTripped:
      state.safeMode !== null ||
      status.gateway.state === 'safe_mode' ||
      (ledger.ok && ledger.value.breakerTripped),
  });
  const metrics: MetricsInput = {
    gateway: opts.gateway,
    port: config.port,
    version: probe.version,
    serviceManager: serviceManager(config),
    up,
    paused,
    gatewayState: stateName,
    state,
    counters: loadCounters(files.counters),
    probeSeconds: probe.ms / 1000,
    now,
    queued: { alerts: status.outbox.alerts, dropped: status.outbox.dropped },
    tree: memory
      ? { rssBytes: memory.rssBytes, descendants: status.pressure.children?.count ?? 0 }
      : null,
    startTimeSec:
      up && status.gateway.uptimeSec !== null
        ? Math.round(now / 1000 - status.gateway.uptimeSec)
        : null,
    disk: status.disk.map((d) => ({
      fs: mountOf(d.paths[0] ?? '/', mounts),
      freeRatio: d.totalBytes > 0 ? d.freeBytes / d.totalBytes : 0,
    })),
    checkIntervalSec: opts.everySec,
    uncleanBoots: ledger.ok ? ledger.value.uncleanBoots : null,
    ...(memory
      ? { memory: { warnBytes: memory.warnBytes, restartBytes: memory.restartBytes } }
      : {}),
  };
  return { metrics, status };
}
