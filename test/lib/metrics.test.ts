import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderMetrics, writeTextfile } from '../../src/lib/metrics.js';
import { freshState } from '../../src/lib/store/state.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';

const require = createRequire(import.meta.url);
const parse = require('parse-prometheus-text-format') as (
  text: string,
) => { name: string; type: string; metrics: { value: string }[] }[];

afterEach(removeTempDirs);

/** Parses Prometheus text exposition into {name: value}, with each family's type. */
export function parseMetrics(text: string): Record<string, { type: string; value: number }> {
  return Object.fromEntries(
    parse(text).map((f) => [f.name, { type: f.type, value: Number(f.metrics[0]!.value) }]),
  );
}

describe('metrics', () => {
  it('renders valid Prometheus exposition with every documented metric', () => {
    const state = {
      ...freshState(),
      lastCheckAt: 1_795_000_000_000,
      orphansReapedTotal: 31,
      userStopAt: 1_794_999_000_000,
      diskLow: [{ dev: 2049, since: 1_794_999_500_000, alertedAt: 1_794_999_500_000 }],
      restarts: { total: 4, consecutive: 2, lastAt: null, nextAllowedAt: null },
    };
    const m = parseMetrics(
      renderMetrics({
        up: true,
        paused: false,
        state,
        probeSeconds: 0.012,
        now: 1_795_000_000_500,
        queued: { alerts: 3, dropped: 7 },
      }),
    );
    expect(m).toEqual({
      openclaw_watchdog_gateway_up: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_restarts_total: { type: 'COUNTER', value: 4 },
      openclaw_watchdog_consecutive_restarts: { type: 'GAUGE', value: 2 },
      openclaw_watchdog_orphans_reaped_total: { type: 'COUNTER', value: 31 },
      openclaw_watchdog_last_check_timestamp_seconds: { type: 'GAUGE', value: 1_795_000_000 },
      openclaw_watchdog_probe_duration_seconds: { type: 'GAUGE', value: 0.012 },
      openclaw_watchdog_paused: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_outbox_alerts: { type: 'GAUGE', value: 3 },
      openclaw_watchdog_alerts_dropped_total: { type: 'COUNTER', value: 7 },
      openclaw_watchdog_gateway_stopped_by_user: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_disk_low: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_memory_high: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_memory_over_ceiling: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_children_high: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_event_loop_lag_checks: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_gateway_safe_mode: { type: 'GAUGE', value: 0 },
    });
  });

  it("gives the gateway tree's RSS and descendants when the check read them", () => {
    const state = { ...freshState(), memoryHighSince: 1, memoryOverSince: 2, lagChecks: 3 };
    const tree = {
      pid: 1,
      startTicks: 1,
      rssBytes: 3 * 2 ** 30,
      gatewayRssBytes: 2 ** 30,
      descendants: 120,
      kinds: [],
      limitBytes: null,
      heapLimitBytes: null,
    };
    const m = parseMetrics(
      renderMetrics({ up: true, paused: false, state, probeSeconds: 0, now: 0, tree }),
    );
    expect(m).toMatchObject({
      openclaw_watchdog_memory_high: { value: 1 },
      openclaw_watchdog_memory_over_ceiling: { value: 1 },
      openclaw_watchdog_children_high: { value: 0 },
      openclaw_watchdog_event_loop_lag_checks: { value: 3 },
      openclaw_watchdog_gateway_rss_bytes: { type: 'GAUGE', value: 3 * 2 ** 30 },
      openclaw_watchdog_gateway_descendants: { type: 'GAUGE', value: 120 },
    });
  });

  it('writes the textfile atomically, readable by node_exporter', () => {
    const file = join(tempDir(), 'openclaw.prom');
    writeTextfile(file, 'a 1\n');
    writeTextfile(file, 'a 2\n');
    expect(readFileSync(file, 'utf8')).toBe('a 2\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});
