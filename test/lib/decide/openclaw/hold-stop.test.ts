// Issue 19, items 4 and 5: a stop or planned restart of a gateway that still answers (memory, a
// channel escalation, the breaker's recovery) is held while OpenClaw updates or maintains itself,
// as on a check that is not healthy. The records are read only when such a stop is due.
import { describe, expect, it } from 'vitest';
import type { ChannelAccount } from '../../../../src/lib/channels/types.js';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { decide } from '../../../../src/lib/decide/decide.js';
import { beforeStop } from '../../../../src/lib/decide/openclaw/hold-stop.js';
import type { Step } from '../../../../src/lib/decide/step.js';
import type { DecideSettings, Decision } from '../../../../src/lib/decide/types.js';
import type { OpenClawSeen } from '../../../../src/lib/decide/openclaw/types.js';
import type { Verdict } from '../../../../src/lib/probe/types.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';
import { names, obs, sec, T0, tree, type Seen } from '../scenario.js';
import { ledger, row } from './ledger.js';
import { seen } from './seen.js';

const run = seen({ update: { runId: 'run-7', phase: 'staging', driverPid: 98 } });
const doctor = seen({ lockRole: { role: 'sqlite-maintenance', pid: 99 } });

const memorySettings = (): DecideSettings => {
  const s = defaultSettings();
  return { ...s, memory: { ...s.memory, restartAboveMB: 500, sustainSec: 0 } };
};

/**
 * Checks as check.ts runs them: decide; a decision that `needs` OpenClaw's records gets them
 * (`records`: what they hold) and is decided again; the first decision is dropped. Counts reads.
 */
function checks(settings: DecideSettings, state: State = freshState()) {
  let reads = 0;
  return {
    get state() {
      return state;
    },
    get reads() {
      return reads;
    },
    check(at: number, verdict: Verdict, look: Seen, records: OpenClawSeen): Decision {
      let d = decide(settings, state, obs(at, verdict, look));
      if (d.needs === 'openclaw') {
        reads++;
        d = decide(settings, state, obs(at, verdict, { ...look, openclaw: records }));
        expect(d.needs).toBeUndefined();
      }
      state = d.state;
      return d;
    },
  };
}

const acts = (d: Decision) => d.actions.filter((a) => !a.type.endsWith('-orphans'));
const over = { tree: tree(800) };

describe('a stop of a gateway that answers, while OpenClaw is at work (decide/openclaw/hold-stop.ts)', () => {
  it('a plain healthy check, or one whose restart backoff holds, never needs the records', () => {
    const s = checks(memorySettings());
    expect(s.check(0, 'healthy', { tree: tree(100) }, run).status).toBe('healthy');
    expect(s.reads).toBe(0);
    // Backoff from an earlier restart holds the memory restart: no stop due, nothing read.
    const held = checks(memorySettings(), {
      ...freshState(),
      restarts: { total: 1, consecutive: 1, lastAt: T0, nextAllowedAt: T0 + 60_000 },
    });
    const d = held.check(10, 'healthy', over, run);
    expect(d.status).toBe('degraded');
    expect(acts(d)).toEqual([]);
    expect(held.reads).toBe(0);
  });

  it('memory over the ceiling while an update runs: status updating, exit 0, no stop and no reaping, said once; the restart once the run ends', () => {
    const s = checks(memorySettings());
    // Unread, the decision would stop: it asks for the records first.
    const unread = decide(memorySettings(), s.state, obs(0, 'healthy', over));
    expect(unread.needs).toBe('openclaw');
    const first = s.check(0, 'healthy', over, run);
    expect(first).toMatchObject({ status: 'updating', actions: [], exitCode: 0 });
    expect(first.detail).toContain('run-7 in phase staging');
    expect(names(first.events)).toEqual(['memory_high', 'waiting']);
    expect(first.events[1]).toMatchObject({ reason: 'updating' });
    expect(s.state.restarts.consecutive).toBe(0);
    expect(s.state.maintenance).toMatchObject({ kind: 'updating', since: T0 });
    // Held again: nothing said again, the stretch keeps its start (the bound counts from it).
    for (const at of [30, 60, 90]) {
      const d = s.check(at, 'healthy', over, run);
      expect(d).toMatchObject({ status: 'updating', actions: [], events: [] });
    }
    expect(s.state.maintenance).toMatchObject({ since: T0 });
    // The run is over: the rule acts again.
    const after = s.check(120, 'healthy', over, seen());
    expect(after.status).toBe('degraded');
    expect(acts(after)).toEqual([
      expect.objectContaining({ type: 'graceful-restart', reason: 'memory' }),
    ]);
    expect(s.state.maintenance).toBeNull();
    expect(s.state.restarts.consecutive).toBe(1);
  });

  it("doctor's lock role: status maintenance; a suspension: updating", () => {
    expect(checks(memorySettings()).check(0, 'healthy', over, doctor)).toMatchObject({
      status: 'maintenance',
      actions: [],
      exitCode: 0,
    });
    expect(
      checks(memorySettings()).check(0, 'healthy', over, seen({ suspended: true })),
    ).toMatchObject({ status: 'updating', actions: [] });
  });

  it('past update.maxSec: update_stuck once with guidance, and the stop goes ahead', () => {
    const s = checks(memorySettings());
    s.check(0, 'healthy', over, run);
    expect(s.check(2000, 'healthy', over, run).status).toBe('updating');
    const late = s.check(2700, 'healthy', over, run);
    expect(names(late.events)).toEqual(['update_stuck']);
    expect(late.events[0]).toMatchObject({ kind: 'updating', sinceSec: 2700 });
    expect(acts(late)).toEqual([expect.objectContaining({ type: 'graceful-restart' })]);
  });

  it('a stretch that began on checks that were not healthy keeps its start', () => {
    const s = checks(memorySettings());
    s.check(0, 'starting', { gateways: [], openclaw: run }, run);
    expect(s.state.maintenance).toMatchObject({ kind: 'updating', since: T0 });
    const d = s.check(30, 'healthy', over, run);
    expect(d).toMatchObject({
      status: 'updating',
      events: [expect.objectContaining({ event: 'memory_high' })],
    });
    expect(s.state.maintenance).toMatchObject({ since: T0 });
    // A healthy check with no stop due ends the stretch.
    s.check(60, 'healthy', { tree: tree(100) }, run);
    expect(s.state.maintenance).toBeNull();
  });

  it('a channel escalation is held, and stays due: the gateway restart follows once the run ends', () => {
    const down: ChannelAccount = {
      channel: 'telegram',
      account: 'default',
      enabled: true,
      managed: true,
      running: true,
      connected: false,
      lifecycle: 'ready',
      healthState: 'disconnected',
      restartPending: false,
      reconnectAttempts: 0,
      lastError: 'fetch failed',
      lastStartAt: T0 - 3_600_000,
      lastTransportActivityAt: null,
      fix: null,
    };
    const look: Seen = {
      channels: { ok: true, accounts: [down] },
      liveGateway: { pid: 4242, startTicks: 777 },
    };
    const s = checks(defaultSettings());
    s.check(0, 'healthy', look, run);
    expect(acts(s.check(600, 'healthy', look, run))).toEqual([
      expect.objectContaining({ type: 'channel-restart' }),
    ]);
    const held = s.check(1200, 'healthy', look, run);
    expect(held).toMatchObject({ status: 'updating', actions: [] });
    expect(s.state.channels.accounts[0]).toMatchObject({ step: 1 });
    const after = s.check(1230, 'healthy', look, seen());
    expect(acts(after)).toEqual([
      expect.objectContaining({ type: 'graceful-restart', reason: 'channel' }),
    ]);
  });

  it("the breaker's recovery waits too: still safe_mode (exit 1), no restart, recoverAt not taken; then it recovers", () => {
    const live = { pid: 4242, startTicks: 777 };
    const look: Seen = {
      suppressed: ['telegram'],
      liveGateway: live,
      bootLedger: ledger(
        [
          row(0, { pid: 1 }),
          row(20, { pid: 2 }),
          row(40, { pid: 3 }),
          row(50, { startupReason: 'gateway.crash_loop_breaker' }),
        ],
        { breakerAt: 50 },
      ),
    };
    const s = checks(defaultSettings());
    s.check(60, 'healthy', look, run);
    const held = s.check(341, 'healthy', look, run);
    expect(held).toMatchObject({ status: 'safe_mode', exitCode: 1, actions: [] });
    expect(held.detail).toContain('run-7');
    expect(names(held.events)).toEqual(['waiting']);
    expect(s.state.safeMode?.recoverAt).toBeNull();
    const due = s.check(371, 'healthy', look, seen());
    expect(due.actions).toEqual([
      expect.objectContaining({ type: 'graceful-restart', reason: 'breaker', inPlaceOnly: true }),
    ]);
  });

  it("doctor's lock holds two consecutive stops: `waiting` (maintenance) said at the first only, as for an update (hold-stop: the last check's wait kept for a hold of either kind)", () => {
    for (const [records, kind] of [
      [doctor, 'maintenance'],
      [run, 'updating'],
    ] as const) {
      const s = checks(memorySettings());
      const first = s.check(0, 'healthy', over, records);
      expect(first).toMatchObject({ status: kind, actions: [] });
      expect(names(first.events)).toEqual(['memory_high', 'waiting']);
      expect(first.events[1]).toMatchObject({ reason: kind });
      expect(s.state.waiting).toBe(kind);
      const second = s.check(30, 'healthy', over, records);
      expect(second).toMatchObject({ status: kind, actions: [], events: [] });
      expect(s.state.waiting).toBe(kind);
    }
  });

  it('an observation whose OpenClaw part is null (nothing of it read, as status observes) lets the stop go ahead with no records_unread (hold-stop: OptionalChaining)', () => {
    const d = decide(memorySettings(), freshState(), {
      ...obs(0, 'healthy', over),
      openclaw: null,
    });
    expect(d.needs).toBeUndefined();
    expect(acts(d)).toEqual([expect.objectContaining({ type: 'graceful-restart' })]);
    expect(names(d.events)).not.toContain('openclaw_records_unread');
  });
});

describe('records that could not be read: said only for a decision that stops or restarts (decide/openclaw/hold-stop.ts)', () => {
  const unread = seen({ unread: 'database is locked' });
  const step = (): Step => ({
    settings: memorySettings(),
    obs: obs(0, 'healthy', { ...over, openclaw: unread }),
    now: sec(0),
    state: freshState(),
    events: [],
    slackMs: 0,
    waitingBefore: null,
  });
  const decision = (actions: Decision['actions']): Decision => ({
    status: 'degraded',
    detail: 'x',
    actions,
    events: [],
    state: freshState(),
    exitCode: 1,
  });
  const reap = { type: 'reap-orphans', minAgeSec: null, graceSec: 120 } as const;
  const restart = { type: 'restart', reason: 'memory', probeTimeoutMs: 2000 } as const;
  const said = (d: Decision) => names(d.events).includes('openclaw_records_unread');

  it('orphan reaping alone, or nothing at all, is no stop: not said (hold-stop: endsWith -> startsWith, some -> every)', () => {
    expect(said(beforeStop(step(), () => decision([reap])))).toBe(false);
    expect(said(beforeStop(step(), () => decision([])))).toBe(false);
  });

  it('reaping then a restart is a stop: said, with the reason (hold-stop: some -> every)', () => {
    const d = beforeStop(step(), () => decision([reap, restart]));
    expect(d.actions).toEqual([reap, restart]);
    expect(d.events).toEqual([
      { level: 'warn', event: 'openclaw_records_unread', reason: 'database is locked' },
    ]);
  });
});
