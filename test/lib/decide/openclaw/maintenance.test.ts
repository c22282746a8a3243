import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { openclawAtWork } from '../../../../src/lib/decide/openclaw/maintenance.js';
import { gw, names, scenario } from '../scenario.js';
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
