import { describe, expect, it } from 'vitest';
import { scenario, sec } from '../scenario.js';
import { ledger, row } from './ledger.js';

const healthyAt = (s: ReturnType<typeof scenario>, at: number) => s.check(at, 'healthy', {});

describe('true downtime: gateway_recovered says when the gateway died', () => {
  it('from the boot ledger: its last row completed between the checks', () => {
    const stopped = row(-100, {
      completedAtMs: sec(5),
      outcome: 'clean_stop',
      reason: 'stop (SIGTERM)',
    });
    const r = scenario();
    healthyAt(r, 0);
    r.check(30, 'refused', { bootLedger: ledger([], { last: stopped }) });
    const d = r.check(60, 'healthy', {});
    expect(d.events).toEqual([
      {
        level: 'info',
        event: 'gateway_recovered',
        downtimeSec: 55,
        downtimeFrom: 'boot_ledger',
        diedAt: new Date(sec(5)).toISOString(),
        seenDownSec: 30,
      },
    ]);
  });

  it('a SIGKILL leaves its row open: the log of the gateway we started tells', () => {
    const s = scenario();
    healthyAt(s, 0);
    s.check(30, 'refused', { bootLedger: ledger([row(-50)]), gatewayLogAt: sec(12) });
    const d = s.check(60, 'healthy', {});
    expect(d.events[0]).toMatchObject({ downtimeSec: 48, downtimeFrom: 'gateway_log' });
  });

  it('a time before the last healthy check (an idle log, the previous boot) is not used', () => {
    const s = scenario();
    healthyAt(s, 20);
    const old = row(-100, { completedAtMs: sec(10), outcome: 'clean_stop' });
    s.check(30, 'refused', { bootLedger: ledger([], { last: old }), gatewayLogAt: sec(5) });
    const d = s.check(60, 'healthy', {});
    expect(d.events).toEqual([
      { level: 'info', event: 'gateway_recovered', downtimeSec: 30, downtimeFrom: 'first_check' },
    ]);
  });

  it('the restart verify ends the incident with the same downtime', () => {
    const s = scenario();
    healthyAt(s, 0);
    s.check(30, 'refused', { gatewayLogAt: sec(25) });
    const r = s.restarted(30, 'healthy', { bootSec: 10 });
    expect(r.events.find((e) => e.event === 'gateway_recovered')).toMatchObject({
      downtimeSec: 15,
      downtimeFrom: 'gateway_log',
      seenDownSec: 10,
    });
  });
});

describe('true downtime: which of OpenClaw’s times count as the death', () => {
  const completedAt = (at: number) =>
    ledger([], { last: row(-100, { completedAtMs: sec(at), outcome: 'clean_stop' }) });

  it('never seen healthy: no death time is trusted, the downtime counts from the first check', () => {
    const s = scenario();
    s.check(30, 'refused', { bootLedger: completedAt(5), gatewayLogAt: sec(6) });
    const d = s.check(60, 'healthy', {});
    expect(d.events[0]).toMatchObject({ downtimeSec: 30, downtimeFrom: 'first_check' });
  });

  it('a row completed at the very check that saw it healthy is that life, not this death', () => {
    const s = scenario();
    healthyAt(s, 0);
    s.check(30, 'refused', { bootLedger: completedAt(0) });
    expect(s.check(60, 'healthy', {}).events[0]).toMatchObject({ downtimeFrom: 'first_check' });
  });

  it('a time at the first check that saw it down counts; one after it does not', () => {
    const at = scenario();
    healthyAt(at, 0);
    at.check(30, 'refused', { bootLedger: completedAt(30) });
    expect(at.check(60, 'healthy', {}).events[0]).toMatchObject({
      downtimeSec: 30,
      downtimeFrom: 'boot_ledger',
    });
    const after = scenario();
    healthyAt(after, 0);
    after.check(30, 'refused', { bootLedger: completedAt(31), gatewayLogAt: sec(32) });
    expect(after.state.incident).toEqual({ kind: 'down', since: sec(30) });
    expect(after.check(60, 'healthy', {}).events[0]).toMatchObject({
      downtimeFrom: 'first_check',
    });
  });
});
