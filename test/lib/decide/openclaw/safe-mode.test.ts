import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import type { EventOf } from '../../../../src/lib/store/event-types.js';
import { names, scenario, sec } from '../scenario.js';
import { ledger, row } from './ledger.js';

const LIVE = { pid: 4242, startTicks: 777 };
/** Three SIGKILLed boots at 0, 20, 40 s, then the safe-mode boot at 50 s (pid 4242, still open). */
const trippedAt = (extra = {}) =>
  ledger(
    [
      row(0, { pid: 1 }),
      row(20, { pid: 2 }),
      row(40, { pid: 3 }),
      row(50, { startupReason: 'gateway.crash_loop_breaker' }),
    ],
    { breakerAt: 50, ...extra },
  );
const safe = (extra = {}) => ({
  suppressed: ['telegram'],
  bootLedger: trippedAt(),
  liveGateway: LIVE,
  ...extra,
});

describe('safe mode: /readyz suppressed on a healthy probe', () => {
  it('is not healthy: one gateway_safe_mode per incident, no stop, no signal acts', () => {
    const s = scenario();
    const first = s.check(60, 'healthy', safe());
    expect(first.status).toBe('safe_mode');
    expect(first.exitCode).toBe(1);
    expect(first.actions).toEqual([]);
    expect(names(first.events)).toEqual(['gateway_safe_mode']);
    const ev = first.events[0] as EventOf<'gateway_safe_mode'>;
    expect(ev).toMatchObject({
      level: 'error',
      channels: ['telegram'],
      uncleanBoots: 4,
      since: new Date(sec(50)).toISOString(),
    });
    // OpenClaw's words, with the count it saw at that boot (the 3 kills, not its own row).
    expect(ev.text).toMatch(
      /^gateway restart-loop breaker tripped: 3 unclean boot\(s\) within 300000ms/,
    );
    expect(ev.fix).toBe(`openclaw gateway call channels.start --params '{"channel":"telegram"}'`);
    expect(ev.next).toContain(new Date(sec(340)).toISOString()); // the 40 s kill leaves at 340 s
    const again = s.check(90, 'healthy', safe());
    expect(again.status).toBe('safe_mode');
    expect(again.events).toEqual([]);
  });

  it('recover: one clean in-place restart once only its own boot is left in the window', () => {
    const s = scenario();
    s.check(60, 'healthy', safe());
    // Inside the window: a restart would trip it again.
    expect(s.check(339, 'healthy', safe()).actions).toEqual([]);
    const due = s.check(341, 'healthy', safe());
    expect(due.status).toBe('safe_mode');
    expect(due.actions).toEqual([
      {
        type: 'graceful-restart',
        reason: 'breaker',
        target: LIVE,
        drainSec: 300,
        probeTimeoutMs: 2000,
        inPlaceOnly: true,
      },
    ]);
    expect(s.state.safeMode).toEqual({ since: sec(50), recoverAt: sec(341) });
    // Still suppressed right after (it raced): not again within the window.
    expect(s.check(371, 'healthy', safe()).actions).toEqual([]);
    // Gone: ended, with how long it lasted.
    const ended = s.check(400, 'healthy', {});
    expect(ended.status).toBe('healthy');
    expect(ended.events).toEqual([
      { level: 'info', event: 'gateway_safe_mode_ended', durationSec: 350 },
    ]);
    expect(s.state.safeMode).toBeNull();
  });

  it('recover counts the running boot only when the ledger row is provably its own (pid)', () => {
    const s = scenario();
    // The live gateway is another pid than the open row's: that row counts, until 350 s.
    s.check(60, 'healthy', safe({ liveGateway: { pid: 9999, startTicks: 1 } }));
    const early = s.check(341, 'healthy', safe({ liveGateway: { pid: 9999, startTicks: 1 } }));
    expect(early.actions).toEqual([]);
    const late = s.check(351, 'healthy', safe({ liveGateway: { pid: 9999, startTicks: 1 } }));
    expect(late.actions.map((a) => a.type)).toEqual(['graceful-restart']);
  });

  it('alert: never restarts; nor without the live gateway, nor with an unreadable ledger', () => {
    const settings = defaultSettings();
    settings.breaker.action = 'alert';
    const a = scenario({ settings });
    a.check(60, 'healthy', safe());
    expect(a.check(400, 'healthy', safe()).actions).toEqual([]);
    const b = scenario();
    b.check(60, 'healthy', safe({ liveGateway: null }));
    expect(b.check(400, 'healthy', safe({ liveGateway: null })).actions).toEqual([]);
    const c = scenario();
    const unreadable = { ok: false as const, reason: 'database is locked' };
    const first = c.check(60, 'healthy', safe({ bootLedger: unreadable }));
    expect((first.events[0] as EventOf<'gateway_safe_mode'>).uncleanBoots).toBeNull();
    expect((first.events[0] as EventOf<'gateway_safe_mode'>).next).toContain('database is locked');
    expect(c.check(400, 'healthy', safe({ bootLedger: unreadable })).actions).toEqual([]);
  });

  it('the signals wait: a memory restart is not decided for a safe-mode gateway', () => {
    const settings = defaultSettings();
    settings.memory.restartAboveMB = 100;
    settings.memory.sustainSec = 0;
    const s = scenario({ settings });
    const big = {
      pid: 4242,
      startTicks: 777,
      rssBytes: 900 * 2 ** 20,
      gatewayRssBytes: 900 * 2 ** 20,
      descendants: 0,
      kinds: [],
      limitBytes: 4096 * 2 ** 20,
      heapLimitBytes: null,
    };
    const d = s.check(60, 'healthy', safe({ tree: big, liveGateway: null }));
    expect(d.status).toBe('safe_mode');
    expect(d.actions).toEqual([]);
    // Without safe mode the same tree restarts it (the rule above is what holds it).
    const n = scenario({ settings }).check(60, 'healthy', {
      tree: big,
      liveGateway: LIVE,
      spawnedAlive: true,
    });
    expect(n.actions.map((a) => a.type)).toEqual(['graceful-restart']);
  });

  it('a down gateway in the middle keeps the incident: ended only when seen unsuppressed', () => {
    const s = scenario();
    s.check(60, 'healthy', safe());
    s.check(90, 'refused', {});
    expect(s.state.safeMode).not.toBeNull();
    const d = s.check(120, 'healthy', {});
    expect(names(d.events)).toContain('gateway_safe_mode_ended');
  });
});

describe('safe mode during a maintenance pause', () => {
  it('the recovery restart is skipped, said, and sent by the first check after the pause', async () => {
    const { decideRun } = await import('../../../../src/lib/decide/run.js');
    const { obs } = await import('../scenario.js');
    const settings = defaultSettings();
    const pause = { since: sec(0), until: sec(360), reason: 'maintenance' };
    const seen = (at: number) => ({
      ...obs(at, 'healthy', safe()),
      pause: at < 360 ? pause : null,
    });
    let state = scenario().state;
    const during = decideRun(settings, state, seen(341));
    expect(during.actions).toEqual([]);
    expect(during.events.find((e) => e.event === 'action_skipped')).toMatchObject({
      actions: ['graceful-restart'],
    });
    state = during.state;
    expect(state.safeMode?.recoverAt).toBeNull();
    const after = decideRun(settings, state, seen(370));
    expect(after.actions.map((a) => a.type)).toEqual(['graceful-restart']);
  });
});

describe('safe mode: what the alert and the status say', () => {
  const event = (d: { events: { event: string }[] }) =>
    d.events.find((e) => e.event === 'gateway_safe_mode') as EventOf<'gateway_safe_mode'>;

  it('no ledger read at all: alerted with nothing it cannot know, status names the channels only', () => {
    const s = scenario();
    const d = s.check(60, 'healthy', { suppressed: ['telegram', 'slack'], liveGateway: LIVE });
    expect(d.status).toBe('safe_mode');
    expect(d.detail).toBe(
      "OpenClaw's safe mode: channel(s) telegram, slack suppressed by its crash-loop breaker",
    );
    expect(event(d)).toMatchObject({ uncleanBoots: null, since: new Date(sec(60)).toISOString() });
    expect(event(d).text).toMatch(/tripped: several unclean boot\(s\)/);
    expect(event(d).next).toMatch(/the boot ledger cannot be read, so the watchdog only alerts$/);
  });

  it('the status says when the window drains', () => {
    const d = scenario().check(60, 'healthy', safe());
    expect(d.detail).toBe(
      `OpenClaw's safe mode: channel(s) telegram suppressed by its crash-loop breaker; the window drains at ${new Date(sec(340)).toISOString()}`,
    );
  });

  it('breaker.action alert says OpenClaw restores them itself', () => {
    const settings = defaultSettings();
    settings.breaker.action = 'alert';
    const d = scenario({ settings }).check(60, 'healthy', safe());
    expect(event(d).next).toMatch(/^OpenClaw restores them itself .* \(breaker\.action alert\)$/);
  });

  it('no unclean boot before the safe-mode boot in the ledger: OpenClaw’s count is not guessed', () => {
    const d = scenario().check(
      60,
      'healthy',
      safe({ bootLedger: ledger([row(50)], { breakerAt: 50 }) }),
    );
    expect(event(d).text).toMatch(/tripped: several unclean boot\(s\)/);
  });
});

describe('safe mode: since when', () => {
  const since = (breakerAt: number | null, at = 60) => {
    const bootLedger = ledger([row(0, { pid: 1 }), row(20, { pid: 2 })], { breakerAt });
    const d = scenario().check(at, 'healthy', safe({ bootLedger }));
    return (d.events[0] as EventOf<'gateway_safe_mode'>).since;
  };
  const day = 86_400;

  it('the breaker boot when the ledger has one, up to a day old', () => {
    expect(since(50)).toBe(new Date(sec(50)).toISOString());
    expect(since(60)).toBe(new Date(sec(60)).toISOString());
    expect(since(0, day - 1)).toBe(new Date(sec(0)).toISOString());
  });

  it('this check when the breaker boot is in the future, a day old or older, or not tripped', () => {
    expect(since(61)).toBe(new Date(sec(60)).toISOString());
    expect(since(0, day)).toBe(new Date(sec(day)).toISOString());
    expect(since(null)).toBe(new Date(sec(60)).toISOString());
  });
});

describe('safe mode: the recovery restart’s window and its one try', () => {
  it('restarts at the very ms the window drains', () => {
    const s = scenario();
    s.check(60, 'healthy', safe());
    const d = s.check(340, 'healthy', safe());
    expect(d.actions.map((a) => a.type)).toEqual(['graceful-restart']);
    expect(d.detail).toBe(
      "OpenClaw's safe mode: channel(s) telegram suppressed by its crash-loop breaker; no unclean boot in the last 300 s: one clean restart restores them",
    );
  });

  it('still suppressed 300 s after its try: tried again, once', () => {
    const s = scenario();
    s.check(60, 'healthy', safe());
    expect(s.check(341, 'healthy', safe()).actions).not.toEqual([]);
    expect(s.check(640, 'healthy', safe()).actions).toEqual([]);
    expect(s.check(641, 'healthy', safe()).actions.map((a) => a.type)).toEqual([
      'graceful-restart',
    ]);
    expect(s.state.safeMode?.recoverAt).toBe(sec(641));
  });

  it('an earlier boot with the live gateway’s pid (a reused pid) still counts against the window', () => {
    // pid 4242 died uncleanly at 40 s; the safe-mode boot reused it.
    const bootLedger = ledger(
      [
        row(0, { pid: 1 }),
        row(20, { pid: 2 }),
        row(40, { pid: 4242 }),
        row(50, { startupReason: 'gateway.crash_loop_breaker' }),
      ],
      { breakerAt: 50 },
    );
    const s = scenario();
    s.check(60, 'healthy', safe({ bootLedger }));
    expect(s.check(339, 'healthy', safe({ bootLedger })).actions).toEqual([]);
    expect(s.check(341, 'healthy', safe({ bootLedger })).actions).not.toEqual([]);
  });

  it('a last boot that completed (a startup failure) is not the running one: it counts', () => {
    const failed = row(50, { completedAtMs: sec(55), outcome: 'startup_failed' });
    const bootLedger = ledger([row(0, { pid: 1 }), row(20, { pid: 2 }), failed], {
      breakerAt: 50,
    });
    const s = scenario();
    s.check(60, 'healthy', safe({ bootLedger }));
    // The failed boot leaves at 355 s.
    expect(s.check(341, 'healthy', safe({ bootLedger })).actions).toEqual([]);
    expect(s.check(356, 'healthy', safe({ bootLedger })).actions).not.toEqual([]);
  });

  it('a ledger without a last boot counts every unclean boot', () => {
    const bootLedger = ledger([row(0, { pid: 1 }), row(20, { pid: 2 }), row(50, { pid: 4242 })], {
      last: null,
      breakerAt: 50,
    });
    const s = scenario();
    s.check(60, 'healthy', safe({ bootLedger }));
    expect(s.check(341, 'healthy', safe({ bootLedger })).actions).toEqual([]);
    expect(s.check(351, 'healthy', safe({ bootLedger })).actions).not.toEqual([]);
  });

  it('without the live gateway, the running boot’s row is not known to be its own: the status counts it', () => {
    const d = scenario().check(60, 'healthy', safe({ liveGateway: null }));
    expect(d.detail).toContain(`the window drains at ${new Date(sec(350)).toISOString()}`);
  });
});
