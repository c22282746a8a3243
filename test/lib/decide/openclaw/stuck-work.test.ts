// The OpenClaw work whose update.maxSec is spent (state.stuckWork, decide/openclaw/maintenance.ts):
// remembered by key across healthy checks, forgotten when a read finds it gone or other work.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { workKey } from '../../../../src/lib/decide/openclaw/maintenance.js';
import type { OpenClawSeen } from '../../../../src/lib/decide/openclaw/types.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { validateState } from '../../../../src/lib/store/state-validate.js';
import { names } from '../scenario.js';
import { seen } from './seen.js';
import { acts, checks, fine, memorySettings, over } from './checks.js';

const run7 = seen({ update: { runId: 'run-7', phase: 'staging', driverPid: 98 } });
const run8 = seen({ update: { runId: 'run-8', phase: 'staging', driverPid: 99 } });
describe('the work whose update.maxSec is spent (state.stuckWork)', () => {
  it('is kept by a healthy check that reads nothing, and forgotten when a read finds no work: the next update run is held and alerted in its own right', () => {
    const s = checks(memorySettings());
    s.check(0, 'healthy', over, run7);
    s.check(2700, 'healthy', over, run7);
    expect(s.state.stuckWork).toBe(workKey('update', 'run-7'));
    expect(s.state.maintenance).toBeNull();
    s.check(2760, 'healthy', fine);
    expect(s.state.stuckWork).toBe(workKey('update', 'run-7'));
    // Past backoff, over the ceiling again: the read finds run-7 gone; the stop goes ahead.
    expect(acts(s.check(6000, 'healthy', over, seen()))).toEqual([
      expect.objectContaining({ type: 'graceful-restart' }),
    ]);
    expect(s.state.stuckWork).toBeNull();
    s.check(6060, 'healthy', fine);
    // A new run: held, and its own update_stuck at its bound.
    expect(s.check(12000, 'healthy', over, run8).status).toBe('updating');
    s.check(12000 + 2700, 'healthy', over, run8);
    expect(s.said.filter((e) => e === 'update_stuck')).toHaveLength(2);
  });

  it('on a check that is not healthy, another run after a stuck one gets its own bound (not the spent one)', () => {
    const s = checks(defaultSettings());
    const down = (records: OpenClawSeen) => ({ gateways: [], openclaw: records });
    s.check(0, 'refused', down(run7));
    expect(names(s.check(2700, 'refused', down(run7)).events)).toContain('update_stuck');
    expect(s.check(2730, 'refused', down(run7)).status).not.toBe('updating');
    // OpenClaw's next update (its own run id): left alone again, from now.
    const next = s.check(2760, 'refused', down(run8));
    expect(next).toMatchObject({ status: 'updating', actions: [] });
    expect(s.state.maintenance).toMatchObject({ stuckSaid: false });
    expect(names(s.check(2760 + 2700, 'refused', down(run8)).events)).toContain('update_stuck');
  });

  it('records that cannot be read do not forget it: the same run, read again, holds nothing and is not alerted again', () => {
    const s = checks(defaultSettings());
    const down = (records: OpenClawSeen) => ({ gateways: [], openclaw: records });
    s.check(0, 'refused', down(run7));
    s.check(2700, 'refused', down(run7));
    s.check(2730, 'refused', down(seen({ unread: 'database is locked' })));
    expect(s.state.stuckWork).toBe(workKey('update', 'run-7'));
    expect(s.check(2760, 'refused', down(run7)).status).not.toBe('updating');
    expect(s.said.filter((e) => e === 'update_stuck')).toHaveLength(1);
  });

  it('a stuck suspension is forgotten at a healthy check (a gateway that answers is not suspended)', () => {
    const s = checks(defaultSettings());
    const suspended = { gateways: [], openclaw: seen({ suspended: true }) };
    s.check(0, 'starting', suspended);
    s.check(2700, 'starting', suspended);
    expect(s.state.stuckWork).toBe('suspended');
    s.check(2760, 'healthy', fine);
    expect(s.state.stuckWork).toBeNull();
    expect(s.check(2790, 'starting', suspended).status).toBe('updating');
  });

  it('a spent suspension read again before a stop on a healthy check is kept: the stop goes ahead, and the next check that finds it still suspended is not held again (decide: the healthy exception only when the records were not read)', () => {
    const s = checks(memorySettings());
    const suspended = seen({ suspended: true });
    s.check(0, 'starting', { gateways: [], openclaw: suspended });
    s.check(2700, 'starting', { gateways: [], openclaw: suspended });
    expect(s.state.stuckWork).toBe('suspended');
    const stop = s.check(2790, 'healthy', over, suspended);
    expect(acts(stop)).toEqual([expect.objectContaining({ type: 'graceful-restart' })]);
    expect(names(stop.events)).toEqual(['memory_high']);
    expect(s.state.stuckWork).toBe('suspended');
    const next = s.check(2820, 'starting', { gateways: [], openclaw: suspended });
    expect(next.status).toBe('starting');
    expect(next.events).toEqual([
      expect.objectContaining({ event: 'waiting', reason: 'starting' }),
    ]);
    expect(s.said.filter((e) => e === 'update_stuck')).toHaveLength(1);
  });
  it('a state.json whose stuckWork was reset (a key too long: state_reset) keeps its stretch’s update_stuck said: not said again, the usual rules go on (maintenance: stuckSaid of the stretch -> false)', () => {
    const s = checks(defaultSettings());
    const down = { gateways: [], openclaw: run7 };
    s.check(0, 'refused', down);
    const late = s.check(2700, 'refused', down);
    expect(names(late.events)).toContain('update_stuck');
    expect(late.actions.map((a) => a.type)).toContain('restart');
    expect(s.state.maintenance).toMatchObject({ kind: 'updating', stuckSaid: true });
    // The saved file's stuckWork field is damaged; the rest of it, the stretch included, loads.
    const raw = { ...JSON.parse(JSON.stringify(s.state)), stuckWork: 'x'.repeat(100) };
    const loaded = validateState(raw, freshState());
    expect(loaded.reset).toEqual(['stuckWork']);
    expect(loaded.state.stuckWork).toBeNull();
    const next = checks(defaultSettings(), loaded.state).check(2730, 'refused', down);
    expect(names(next.events)).not.toContain('update_stuck');
    // The restart at 2700 s went ahead; its backoff holds this check, as the usual rules say.
    expect(next.status).toBe('deferred');
  });
});

describe('a stop that goes ahead without OpenClaw’s records (openclaw_records_unread)', () => {
  const unread = seen({ unread: 'database is locked' });

  it('is said with the reason when the stop goes ahead; not when the records were read', () => {
    const s = checks(memorySettings());
    const d = s.check(0, 'healthy', over, unread);
    expect(acts(d)).toEqual([expect.objectContaining({ type: 'graceful-restart' })]);
    expect(d.events).toContainEqual({
      level: 'warn',
      event: 'openclaw_records_unread',
      reason: 'database is locked',
    });
    const read = checks(memorySettings()).check(0, 'healthy', over, seen());
    expect(names(read.events)).not.toContain('openclaw_records_unread');
  });

  it('is not said when nothing is stopped (backoff defers the restart)', () => {
    const s = checks(memorySettings());
    // Restarts at 0 and 60 s (backoff.baseDelaySec); the third waits until 180 s.
    s.check(0, 'healthy', over, seen());
    s.check(60, 'healthy', over, seen());
    const deferred = s.check(90, 'healthy', over, unread);
    expect(names(deferred.events)).toContain('restart_deferred');
    expect(acts(deferred)).toEqual([]);
    expect(names(deferred.events)).not.toContain('openclaw_records_unread');
  });
});
