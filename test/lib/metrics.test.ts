import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderFleet, renderMetrics, writeTextfile } from '../../src/lib/metrics.js';
import { freshState } from '../../src/lib/store/state.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';

const ID = { gateway: 'default', port: 18789, version: null, serviceManager: 'openclaw' };

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
  it('renders valid Prometheus exposition with every documented metric, each labelled gateway', () => {
    const state = {
      ...freshState(),
      lastCheckAt: 1_795_000_000_000,
      checkMs: 250,
      orphansReapedTotal: 31,
      userStopAt: 1_794_999_000_000,
      diskLow: [{ dev: 2049, since: 1_794_999_500_000, alertedAt: 1_794_999_500_000 }],
      restarts: { total: 4, consecutive: 2, lastAt: 1_794_999_900_000, nextAllowedAt: null },
    };
    const text = renderMetrics({
      ...ID,
      up: true,
      paused: false,
      state,
      counters: {
        version: 1,
        restarts: { crashed: 3, memory: 1 },
        notifyFailures: { heartbeat: 2 },
      },
      probeSeconds: 0.012,
      now: 1_795_000_000_500,
      queued: { alerts: 3, dropped: 7 },
    });
    const m = parseMetrics(text);
    expect(m).toEqual({
      openclaw_watchdog_gateway_info: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_gateway_up: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_gateway_state: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_restarts_total: { type: 'COUNTER', value: 3 },
      openclaw_watchdog_consecutive_restarts: { type: 'GAUGE', value: 2 },
      openclaw_watchdog_last_restart_timestamp_seconds: { type: 'GAUGE', value: 1_794_999_900 },
      openclaw_watchdog_backoff_until_timestamp_seconds: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_orphans_reaped_total: { type: 'COUNTER', value: 31 },
      openclaw_watchdog_last_check_timestamp_seconds: { type: 'GAUGE', value: 1_795_000_000 },
      openclaw_watchdog_check_duration_seconds: { type: 'GAUGE', value: 0.25 },
      openclaw_watchdog_probe_duration_seconds: { type: 'GAUGE', value: 0.012 },
      openclaw_watchdog_paused: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_outbox_alerts: { type: 'GAUGE', value: 3 },
      openclaw_watchdog_alerts_dropped_total: { type: 'COUNTER', value: 7 },
      openclaw_watchdog_notify_failures_total: { type: 'COUNTER', value: 0 },
      openclaw_watchdog_gateway_stopped_by_user: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_disk_low: { type: 'GAUGE', value: 1 },
      openclaw_watchdog_memory_high: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_memory_over_ceiling: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_children_high: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_event_loop_lag_checks: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_gateway_safe_mode: { type: 'GAUGE', value: 0 },
      openclaw_watchdog_openclaw_at_work: { type: 'GAUGE', value: 0 },
    });
    // every sample names its gateway; labelled families have every label value
    for (const f of parse(text))
      for (const s of f.metrics)
        expect((s as { labels?: Record<string, string> }).labels?.gateway).toBe('default');
    expect(text).toContain(
      'openclaw_watchdog_gateway_info{gateway="default",port="18789",version="unknown",service_manager="openclaw"} 1\n',
    );
    expect(text).toContain(
      'openclaw_watchdog_restarts_total{gateway="default",reason="memory"} 1\n',
    );
    expect(text).toContain('openclaw_watchdog_restarts_total{gateway="default",reason="hung"} 0\n');
    expect(text).toContain(
      'openclaw_watchdog_notify_failures_total{gateway="default",kind="heartbeat"} 2\n',
    );
    // one-hot: exactly one state is 1
    const states = text.match(/^openclaw_watchdog_gateway_state\{.*\} [01]$/gm)!;
    expect(states).toHaveLength(10);
    expect(states.filter((l) => l.endsWith(' 1'))).toEqual([
      'openclaw_watchdog_gateway_state{gateway="default",state="healthy"} 1',
    ]);
  });

  it('a watchdog that never checked says 0 for its last check, not the time of the scrape (it is stale)', () => {
    const text = renderMetrics({
      ...ID,
      up: false,
      paused: false,
      state: freshState(),
      probeSeconds: 0,
      now: 1_795_000_000_000,
    });
    expect(text).toContain('openclaw_watchdog_last_check_timestamp_seconds{gateway="default"} 0\n');
  });

  it('an update or maintenance the check left alone is the state updating / maintenance (state.maintenance, not the probe verdict)', () => {
    for (const kind of ['updating', 'maintenance'] as const) {
      const state = {
        ...freshState(),
        lastVerdict: 'refused' as const,
        maintenance: { kind, since: 1_795_000_000_000, stuckSaid: false },
      };
      const text = renderMetrics({
        ...ID,
        up: false,
        paused: false,
        state,
        probeSeconds: 0,
        now: 1_795_000_001_000,
      });
      expect(text).toContain(
        `openclaw_watchdog_gateway_state{gateway="default",state="${kind}"} 1\n`,
      );
      expect(text).toContain('openclaw_watchdog_gateway_state{gateway="default",state="down"} 0\n');
    }
  });

  it('two gateways: each family once, a sample per gateway', () => {
    const a = {
      ...ID,
      gateway: 'a',
      up: true,
      paused: false,
      state: freshState(),
      probeSeconds: 0,
      now: 0,
    };
    const b = { ...a, gateway: 'b', up: false, paused: true };
    const text = renderFleet([a, b]);
    expect(text.match(/^# TYPE openclaw_watchdog_gateway_up gauge$/gm)).toHaveLength(1);
    expect(text).toContain('openclaw_watchdog_gateway_up{gateway="a"} 1\n');
    expect(text).toContain('openclaw_watchdog_gateway_up{gateway="b"} 0\n');
    expect(text).toContain('openclaw_watchdog_gateway_state{gateway="b",state="paused"} 1\n');
  });

  it('never a pid, a session or a chat id in a label', () => {
    const state = {
      ...freshState(),
      spawned: { pid: 424242, startTicks: 9, at: 1, method: 'command' },
      notListening: { pid: 434343, since: 1 },
    };
    const text = renderMetrics({ ...ID, up: true, paused: false, state, probeSeconds: 0, now: 0 });
    const labels = new Set(
      [...text.matchAll(/\{([^}]*)\}/g)].flatMap((m) =>
        [...m[1]!.matchAll(/(\w+)="/g)].map((l) => l[1]),
      ),
    );
    expect([...labels].sort()).toEqual(
      ['gateway', 'kind', 'port', 'reason', 'service_manager', 'state', 'version'].sort(),
    );
    expect(text).not.toContain('424242');
    expect(text).not.toContain('434343');
  });

  it("gives the gateway tree's RSS and descendants when the check read them", () => {
    const state = { ...freshState(), memoryHighSince: 1, memoryOverSince: 2, lagChecks: 3 };
    const tree = { rssBytes: 3 * 2 ** 30, descendants: 120 };
    const m = parseMetrics(
      renderMetrics({ ...ID, up: true, paused: false, state, probeSeconds: 0, now: 0, tree }),
    );
    expect(m).toMatchObject({
      openclaw_watchdog_memory_high: { value: 1 },
      openclaw_watchdog_memory_over_ceiling: { value: 1 },
      openclaw_watchdog_children_high: { value: 0 },
      openclaw_watchdog_event_loop_lag_checks: { value: 3 },
      openclaw_watchdog_gateway_tree_rss_bytes: { type: 'GAUGE', value: 3 * 2 ** 30 },
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

  it('removes what a writer killed mid-write left of it (10 min old), never other files there', () => {
    const dir = tempDir();
    const file = join(dir, 'openclaw.prom');
    const old = (Date.now() - 11 * 60 * 1000) / 1000;
    const left = join(dir, 'openclaw.prom.0123456789abcdef.tmp');
    const other = join(dir, 'node.prom.0123456789abcdef.tmp');
    for (const f of [left, other]) {
      writeFileSync(f, 'x');
      utimesSync(f, old, old);
    }
    writeTextfile(file, 'a 1\n');
    expect(existsSync(left)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('a 1\n');
  });
});
