import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { openclawAtWork, workKey } from '../../../../src/lib/decide/openclaw/maintenance.js';
import { gw, names, scenario, sec } from '../scenario.js';
import { seen } from './seen.js';

const doctor = seen({ lockRole: { role: 'sqlite-maintenance', pid: 99 } });
const run = seen({ update: { runId: 'run-1', phase: 'activating', driverPid: 98 } });

describe('OpenClaw at work on itself (decide/openclaw/maintenance.ts)', () => {
  it('names what it does: an update run, a successor, a suspension, a lock role', () => {
    expect(openclawAtWork(run)).toMatchObject({
      kind: 'updating',
      detail: expect.stringContaining('run-1 in phase activating'),
    });
    expect(openclawAtWork(seen({ successor: { parent: 1, child: 2 } }))).toMatchObject({
      kind: 'updating',
    });
    expect(openclawAtWork(seen({ suspended: true }))).toMatchObject({ kind: 'updating' });
    expect(openclawAtWork(doctor)).toMatchObject({
      kind: 'maintenance',
      detail: expect.stringContaining('doctor'),
    });
    expect(openclawAtWork(seen())).toBeNull();
  });

  it.each([
    ['refused', doctor, 'maintenance'],
    ['refused', run, 'updating'],
    ['starting', seen({ suspended: true }), 'updating'],
    ['unresponsive', run, 'updating'],
  ] as const)(
    '%s with OpenClaw at work: no action, exit 0, status %s… once said',
    (verdict, openclaw, status) => {
      const s = scenario();
      for (const at of [0, 30, 600]) {
        const d = s.check(at, verdict, { gateways: [gw(7, 9999)], openclaw });
        expect(d).toMatchObject({ status, actions: [], exitCode: 0 });
      }
      expect(s.state.incident).toBeNull();
    },
  );

  it('said once as waiting; past update.maxSec update_stuck once with guidance, then the usual rules; ended by a healthy check', () => {
    const settings = defaultSettings();
    const s = scenario({ settings });
    const first = s.check(0, 'refused', { openclaw: run });
    expect(first.events).toEqual([
      expect.objectContaining({ event: 'waiting', reason: 'updating' }),
    ]);
    expect(names(s.check(30, 'refused', { openclaw: run }).events)).toEqual([]);
    const late = s.check(2700, 'refused', { openclaw: run });
    expect(names(late.events)).toEqual(['update_stuck', 'gateway_down']);
    expect(late.events[0]).toMatchObject({ kind: 'updating', sinceSec: 2700 });
    expect(String((late.events[0] as { guidance: string }).guidance)).toContain(
      'openclaw update repair',
    );
    expect(late.actions.at(-1)).toMatchObject({ type: 'restart', reason: 'crashed' });
    expect(names(s.check(2730, 'refused', { openclaw: run }).events)).not.toContain('update_stuck');
    s.check(2800, 'healthy');
    expect(s.state.maintenance).toBeNull();
  });

  it('a stretch of another kind starts its own bound', () => {
    const s = scenario();
    s.check(0, 'refused', { openclaw: run });
    s.check(2000, 'refused', { openclaw: doctor });
    expect(s.state.maintenance).toMatchObject({ kind: 'maintenance', since: expect.any(Number) });
    expect(s.check(2800, 'refused', { openclaw: doctor }).status).toBe('maintenance');
  });
});

describe('OpenClaw at work: what is said, and when the stretch ends', () => {
  it('an update run with no phase yet, and a lock role that is not doctor’s, are named as they are', () => {
    const noPhase = seen({ update: { runId: 'run-2', phase: null, driverPid: 97 } });
    expect(openclawAtWork(noPhase)?.detail).toBe('OpenClaw update run-2 (driver pid 97)');
    const agent = seen({ lockRole: { role: 'agent-embedded', pid: 5 } });
    expect(openclawAtWork(agent)).toEqual({
      kind: 'maintenance',
      detail: "agent-embedded holds OpenClaw's state lock (agent-embedded, pid 5)",
      key: workKey('lock', 'agent-embedded 5'),
    });
  });

  it('doctor’s lock held past update.maxSec: an update_stuck error with doctor’s guidance, then the usual rules every check', () => {
    const s = scenario();
    s.check(0, 'refused', { openclaw: doctor });
    const late = s.check(2700, 'refused', { openclaw: doctor });
    expect(late.events[0]).toMatchObject({
      level: 'error',
      event: 'update_stuck',
      kind: 'maintenance',
    });
    const { guidance } = late.events[0] as { guidance: string };
    expect(guidance).toContain('openclaw gateway status --deep');
    expect(guidance).not.toContain('openclaw update repair');
    expect(s.state.maintenance).toEqual({ kind: 'maintenance', since: sec(0), stuckSaid: true });
    // Still held: no new bound begins; the usual rules go on.
    const next = s.check(2730, 'refused', { openclaw: doctor });
    expect(next.status).not.toBe('maintenance');
    expect(s.state.maintenance).toEqual({ kind: 'maintenance', since: sec(0), stuckSaid: true });
  });

  it('OpenClaw done with its work on a check that is not healthy: the stretch is over', () => {
    const s = scenario();
    s.check(0, 'refused', { openclaw: doctor });
    expect(s.state.maintenance).not.toBeNull();
    s.check(30, 'refused', { openclaw: seen() });
    expect(s.state.maintenance).toBeNull();
  });
});

describe('the key of a piece of OpenClaw’s work (maintenance.ts workKey), kept in state.json across upgrades', () => {
  it('is the same in every version: known keys of an update run, a successor, and a hash with a leading zero kept at 16 hex digits (maintenance: i <= length, padStart "", "successor" -> "")', () => {
    // A stuck run saved by one version must match the same run read by the next, or it would
    // hold a stop again for update.maxSec and be alerted twice.
    expect(workKey('update', 'run-7')).toBe('update 3a9d54d6ea08dfd9');
    expect(workKey('update', 'run-11')).toBe('update 38b137b70dfe0015');
    expect(workKey('lock', '')).toBe('lock 811c9dc501000193');
    expect(openclawAtWork(seen({ successor: { parent: 1, child: 2 } }))?.key).toBe(
      'successor 695ae732f21c25e7',
    );
  });
});
