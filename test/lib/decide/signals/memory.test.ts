import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import {
  memoryLimits,
  openclawWarnBytes,
} from '../../../../src/lib/decide/signals/memory-limits.js';
import type { DecideSettings, Decision } from '../../../../src/lib/decide/types.js';
import { names, scenario, tree } from '../scenario.js';

/** What a check does besides its regular orphan pass. */
const acts = (d: Decision) => d.actions.filter((a) => !a.type.endsWith('-orphans'));

const MiB = 1024 * 1024;
const withMemory = (memory: Partial<DecideSettings['memory']>): DecideSettings => {
  const s = defaultSettings();
  return { ...s, memory: { ...s.memory, ...memory } };
};

describe('memory limits', () => {
  it("auto is OpenClaw's warning level and 80 % of the limit", () => {
    // 4 GiB box: max(1536, 4288 / 2) = 2144, capped at half of 4096.
    expect(openclawWarnBytes(4096 * MiB, 4288 * MiB)).toBe(2048 * MiB);
    // 24 GiB box: half the heap limit, under half the RAM.
    expect(openclawWarnBytes(24_000 * MiB, 4288 * MiB)).toBe(2144 * MiB);
    // A small heap: the 1536 MiB floor.
    expect(openclawWarnBytes(null, 2000 * MiB)).toBe(1536 * MiB);
    expect(memoryLimits(defaultSettings(), tree(100, { limitMiB: 4096 }))).toEqual({
      warnBytes: 2048 * MiB,
      restartBytes: Math.floor(4096 * MiB * 0.8),
    });
    expect(memoryLimits(withMemory({ warnAboveMB: 700, restartAboveMB: null }), tree(1))).toEqual({
      warnBytes: 700 * MiB,
      restartBytes: null,
    });
  });
});

describe('memory ceiling', () => {
  it('memory_high alerts once per incident, with the largest kinds by RSS', () => {
    const s = scenario({ settings: withMemory({ restartAboveMB: null }) });
    const first = s.check(0, 'healthy', { tree: tree(2100, { name: 'mcp-server' }) });
    expect(names(first.events)).toEqual(['memory_high']);
    expect(first.events[0]).toMatchObject({
      rssMB: 2100,
      warnAboveMB: 2048,
      restartAboveMB: null,
      top: [
        { name: 'gateway', count: 1, rssMB: 1680 },
        { name: 'mcp-server', count: 2, rssMB: 420 },
      ],
    });
    expect(acts(first)).toEqual([]);
    expect(first.status).toBe('healthy');
    expect(names(s.check(60, 'healthy', { tree: tree(2200) }).events)).toEqual([]);
    // Below the level ends the incident; above it again is a new one.
    expect(names(s.check(120, 'healthy', { tree: tree(1000) }).events)).toEqual([]);
    expect(s.state.memoryHighSince).toBeNull();
    expect(names(s.check(180, 'healthy', { tree: tree(2100) }).events)).toEqual(['memory_high']);
  });

  it('restarts gracefully only after the RSS stayed above the ceiling for sustainSec', () => {
    const s = scenario({ settings: withMemory({ restartAboveMB: 1000, warnAboveMB: null }) });
    expect(acts(s.check(0, 'healthy', { tree: tree(1200) }))).toEqual([]);
    expect(acts(s.check(60, 'healthy', { tree: tree(1200) }))).toEqual([]);
    // Under the ceiling once: the sustain starts over.
    expect(acts(s.check(90, 'healthy', { tree: tree(900) }))).toEqual([]);
    expect(acts(s.check(150, 'healthy', { tree: tree(1200) }))).toEqual([]);
    expect(acts(s.check(240, 'healthy', { tree: tree(1200) }))).toEqual([]);
    const d = s.check(270, 'healthy', { tree: tree(1200) });
    expect(d.status).toBe('degraded');
    expect(d.exitCode).toBe(1);
    expect(acts(d)).toEqual([
      {
        type: 'graceful-restart',
        reason: 'memory',
        target: { pid: 4242, startTicks: 777 },
        drainSec: 300,
        probeTimeoutMs: 2000,
      },
    ]);
    expect(d.detail).toContain('1200 MiB above 1000 MiB for 120 s');
    // memory_high came with the first check above the ceiling (lower than the warning level: off).
    expect(s.state.memoryOverSince).toBeNull();
  });

  it('a gateway over the ceiling again right after its restart backs off into crash_loop, never a restart every check', () => {
    const s = scenario({
      settings: withMemory({ restartAboveMB: 500, sustainSec: 0 }),
    });
    const restarts: number[] = [];
    const events: string[] = [];
    for (let at = 0; at <= 4 * 3600; at += 60) {
      const d = s.check(at, 'healthy', { tree: tree(800) });
      events.push(...names(d.events));
      if (acts(d).some((a) => a.type === 'graceful-restart')) {
        restarts.push(at);
        s.restarted(at, 'healthy', { bootSec: 10, reason: 'memory' });
      }
    }
    // 0, 60, 180, 420, 900, 1860, then every 1800 s (maxDelaySec), never reset by "stable".
    expect(restarts.slice(0, 6)).toEqual([0, 60, 180, 420, 900, 1860]);
    expect(restarts.length).toBeLessThanOrEqual(13);
    expect(events.filter((e) => e === 'crash_loop')).toHaveLength(1);
    expect(events).toContain('restart_deferred');
    expect(s.state.restarts.consecutive).toBe(restarts.length);
  });

  it('a gateway back under the ceiling becomes stable again and the backoff resets', () => {
    const s = scenario({ settings: withMemory({ restartAboveMB: 500, sustainSec: 0 }) });
    expect(acts(s.check(0, 'healthy', { tree: tree(800) }))).toHaveLength(1);
    s.restarted(0, 'healthy', { reason: 'memory' });
    for (let at = 60; at <= 420; at += 60) s.check(at, 'healthy', { tree: tree(300) });
    expect(s.state.restarts.consecutive).toBe(0);
    expect(acts(s.check(480, 'healthy', { tree: tree(800) }))).toHaveLength(1);
  });

  it('null disables both levels; no tree says nothing', () => {
    const off = scenario({ settings: withMemory({ warnAboveMB: null, restartAboveMB: null }) });
    for (const at of [0, 200, 400]) {
      const d = off.check(at, 'healthy', { tree: tree(100_000, { limitMiB: 1000 }) });
      expect(d.events).toEqual([]);
      expect(acts(d)).toEqual([]);
    }
    const unknown = scenario({ settings: withMemory({ restartAboveMB: 10, sustainSec: 0 }) });
    const d = unknown.check(0, 'healthy', { tree: null });
    expect(d.events).toEqual([]);
    expect(acts(d)).toEqual([]);
  });

  it('the timers belong to the gateway they measured: a new one gets its own sustain and memory_high', () => {
    const s = scenario({ settings: withMemory({ restartAboveMB: 1000, warnAboveMB: null }) });
    expect(names(s.check(0, 'healthy', { tree: tree(1200) }).events)).toEqual(['memory_high']);
    expect(acts(s.check(100, 'healthy', { tree: tree(1200) }))).toEqual([]);
    // Another gateway (pid + start time) at 200 s: 200 s after the first over-ceiling check, but
    // its own first check; old code restarted it here.
    const other = { ...tree(1200), pid: 5151, startTicks: 999 };
    const d = s.check(200, 'healthy', { tree: other });
    expect(acts(d)).toEqual([]);
    expect(names(d.events)).toEqual(['memory_high']);
    expect(acts(s.check(260, 'healthy', { tree: other }))).toEqual([]);
    expect(acts(s.check(320, 'healthy', { tree: other }))).toHaveLength(1);
  });

  it('a check that is not healthy ends the sustain and the incident', () => {
    const s = scenario({ settings: withMemory({ restartAboveMB: 1000, warnAboveMB: null }) });
    s.check(0, 'healthy', { tree: tree(1200) });
    s.check(100, 'refused');
    expect(s.state.memoryOverSince).toBeNull();
    expect(s.state.memoryHighSince).toBeNull();
    const d = s.check(130, 'healthy', { tree: tree(1200) });
    expect(acts(d)).toEqual([]);
    expect(names(d.events)).toContain('memory_high');
    expect(s.state.memoryOverSince).toBe(s.state.lastCheckAt);
  });

  it('hysteresis: memory_high once while it hovers around the level, again only after 90 % of it', () => {
    const s = scenario({ settings: withMemory({ warnAboveMB: 1000, restartAboveMB: null }) });
    const alerts = [1010, 990, 1010, 950, 1020, 905].map(
      (mb, i) => names(s.check(i * 60, 'healthy', { tree: tree(mb) }).events).length,
    );
    expect(alerts).toEqual([1, 0, 0, 0, 0, 0]);
    expect(names(s.check(400, 'healthy', { tree: tree(899) }).events)).toEqual([]);
    expect(s.state.memoryHighSince).toBeNull();
    expect(names(s.check(460, 'healthy', { tree: tree(1010) }).events)).toEqual(['memory_high']);
  });
});

describe('memory: the levels and their boundaries', () => {
  it('RSS exactly at the restart ceiling is not over it; a byte more is (memory: ceiling boundary)', () => {
    const s = scenario({
      settings: withMemory({ restartAboveMB: 1000, warnAboveMB: null, sustainSec: 0 }),
    });
    const at = s.check(0, 'healthy', { tree: tree(1000) });
    expect(acts(at)).toEqual([]);
    expect(at.events).toEqual([]);
    expect(s.state.memoryOverSince).toBeNull();
    const over = { ...tree(1000), rssBytes: 1000 * MiB + 1 };
    expect(acts(s.check(30, 'healthy', { tree: over }))).toHaveLength(1);
  });

  it('restarts at memory.sustainSec above the ceiling (less the cadence slack), not a second before (memory: sustain boundary)', () => {
    const s = scenario({
      settings: withMemory({ restartAboveMB: 1000, warnAboveMB: null, sustainSec: 120 }),
    });
    s.check(0, 'healthy', { tree: tree(1200) });
    for (const t of [115, 119])
      expect(acts(s.check(t, 'healthy', { tree: tree(1200) }))).toEqual([]);
    expect(s.state.memoryOverSince).not.toBeNull();
    expect(acts(s.check(120, 'healthy', { tree: tree(1200) }))).toHaveLength(1);
  });

  it('memory_high at the lower of the two levels: the ceiling when it is lower than the warning (memory: lowest level)', () => {
    const s = scenario({
      settings: withMemory({ warnAboveMB: 2000, restartAboveMB: 1000, sustainSec: 600 }),
    });
    const d = s.check(0, 'healthy', { tree: tree(1500) });
    expect(d.events).toMatchObject([
      { level: 'warn', event: 'memory_high', rssMB: 1500, warnAboveMB: 2000, restartAboveMB: 1000 },
    ]);
    const lower = scenario({ settings: withMemory({ warnAboveMB: 1000, restartAboveMB: 2000 }) });
    expect(names(lower.check(0, 'healthy', { tree: tree(1500) }).events)).toEqual(['memory_high']);
    expect(names(lower.check(30, 'healthy', { tree: tree(800) }).events)).toEqual([]);
  });

  it('memory_high with only the ceiling set (warning off) alerts above the ceiling (memory: one level)', () => {
    const s = scenario({
      settings: withMemory({ warnAboveMB: null, restartAboveMB: 1000, sustainSec: 600 }),
    });
    expect(names(s.check(0, 'healthy', { tree: tree(999) }).events)).toEqual([]);
    expect(names(s.check(30, 'healthy', { tree: tree(1001) }).events)).toEqual(['memory_high']);
    const warnOnly = scenario({
      settings: withMemory({ warnAboveMB: 1000, restartAboveMB: null }),
    });
    expect(names(warnOnly.check(0, 'healthy', { tree: tree(1001) }).events)).toEqual([
      'memory_high',
    ]);
  });

  it('RSS exactly at the warning level does not alert; an open incident ends at exactly 90 % of it (memory: hysteresis boundary)', () => {
    const s = scenario({ settings: withMemory({ warnAboveMB: 1000, restartAboveMB: null }) });
    expect(s.check(0, 'healthy', { tree: tree(1000) }).events).toEqual([]);
    expect(names(s.check(30, 'healthy', { tree: tree(1001) }).events)).toEqual(['memory_high']);
    const atEnd = { ...tree(900), rssBytes: 1000 * MiB * 0.9 };
    s.check(60, 'healthy', { tree: atEnd });
    expect(s.state.memoryHighSince).toBeNull();
    const justAbove = scenario({
      settings: withMemory({ warnAboveMB: 1000, restartAboveMB: null }),
    });
    justAbove.check(0, 'healthy', { tree: tree(1001) });
    justAbove.check(30, 'healthy', { tree: { ...atEnd, rssBytes: atEnd.rssBytes + 1 } });
    expect(justAbove.state.memoryHighSince).not.toBeNull();
  });

  it('memory_high names at most the five largest kinds, largest first, the gateway among them', () => {
    const kinds = [1, 2, 3, 4, 5, 6].map((n) => ({
      name: `k${n}`,
      count: n,
      rssBytes: n * 100 * MiB,
    }));
    const big = { ...tree(3000), gatewayRssBytes: 350 * MiB, kinds };
    const d = scenario({ settings: withMemory({ warnAboveMB: 1000, restartAboveMB: null }) }).check(
      0,
      'healthy',
      { tree: big },
    );
    expect(d.events[0]).toMatchObject({
      top: [
        { name: 'k6', count: 6, rssMB: 600 },
        { name: 'k5', count: 5, rssMB: 500 },
        { name: 'k4', count: 4, rssMB: 400 },
        { name: 'gateway', count: 1, rssMB: 350 },
        { name: 'k3', count: 3, rssMB: 300 },
      ],
    });
  });

  it('auto ceiling without a known memory limit: no restart, only the warning', () => {
    const s = scenario({ settings: withMemory({ restartAboveMB: 'auto', sustainSec: 0 }) });
    const noLimit = { ...tree(100_000), limitBytes: null };
    const d = s.check(0, 'healthy', { tree: noLimit });
    expect(acts(d)).toEqual([]);
    expect(d.events[0]).toMatchObject({ event: 'memory_high', restartAboveMB: null });
  });

  it('a restart held by backoff keeps the sustain running (restarted when allowed)', () => {
    const s = scenario({
      settings: withMemory({ restartAboveMB: 500, warnAboveMB: null, sustainSec: 0 }),
    });
    expect(acts(s.check(0, 'healthy', { tree: tree(800) }))).toHaveLength(1);
    s.restarted(0, 'healthy', { reason: 'memory' });
    const held = s.check(30, 'healthy', { tree: tree(800) });
    expect(held).toMatchObject({ status: 'degraded', exitCode: 0 });
    expect(acts(held)).toEqual([]);
    expect(s.state.memoryOverSince).toBe(held.state.lastCheckAt);
  });
});
