// Review of issue 19 items 4/5 (hold-stop.ts): defects found by the adversarial review, each
// proven by a test that fails on the code under review.
import { describe, expect, it } from 'vitest';
import { names, tree } from '../scenario.js';
import { seen } from './seen.js';
import { acts, checks, memorySettings, over } from './checks.js';

const run = seen({ update: { runId: 'run-7', phase: 'staging', driverPid: 98 } });

describe('review: the hold of a stop of an answering gateway (decide/openclaw/hold-stop.ts)', () => {
  it('one stuck update run: update_stuck is said once, and the stop it let through is not held for another update.maxSec', () => {
    // The not-healthy path keeps `maintenance.stuckSaid` for the whole stretch of the same work;
    // the healthy path clears `maintenance` at the check whose stop went ahead past the bound, so
    // the same stuck run (same runId, live driver) holds the next stop for a fresh update.maxSec
    // and alerts update_stuck again.
    const s = checks(memorySettings());
    s.check(0, 'healthy', over, run);
    const late = s.check(2700, 'healthy', over, run);
    expect(names(late.events)).toEqual(['update_stuck']);
    expect(acts(late)).toEqual([expect.objectContaining({ type: 'graceful-restart' })]);
    // The restart went ahead; the new gateway is fine for a while, then over the ceiling again,
    // past any backoff, while OpenClaw's same run is still `running` with its driver alive.
    let t = 2700 + 60;
    for (; t < 2700 + 3600; t += 60) s.check(t, 'healthy', { tree: tree(100) }, run);
    const again = s.check(t, 'healthy', over, run);
    // Expected: the bound is spent for this run; the stop goes ahead (no second 45-min hold).
    expect(again.status).not.toBe('updating');
    for (let u = t + 60; u <= t + 2760; u += 60) s.check(u, 'healthy', over, run);
    expect(s.said.filter((e) => e === 'update_stuck')).toHaveLength(1);
  });

  it('past update.maxSec the stop goes ahead; if the gateway is then down, the same stuck run does not hold its restart for another update.maxSec', () => {
    // At the check that says update_stuck and lets the stop through, the healthy path wipes
    // `maintenance` (heldForOpenClaw is not set): the next, not-healthy check starts a new
    // stretch for the very same run and leaves the gateway it just stopped down for up to
    // another update.maxSec (45 min by default), with no alert.
    const s = checks(memorySettings());
    s.check(0, 'healthy', over, run);
    const late = s.check(2700, 'healthy', over, run);
    expect(acts(late)).toEqual([expect.objectContaining({ type: 'graceful-restart' })]);
    // The stopped gateway does not come back (its port refuses); the run is the same.
    const next = s.check(2730, 'refused', { gateways: [], openclaw: run }, run);
    // Expected: the usual rules (a restart, or backoff's wait for it), not a new `updating` hold.
    expect(next.status).not.toBe('updating');
    expect(next.events).not.toContainEqual(
      expect.objectContaining({ event: 'waiting', reason: 'updating' }),
    );
  });

  it('on the not-healthy path the bound is spent once for the run: the down gateway is restarted (what the healthy path should match)', () => {
    const s = checks(memorySettings());
    s.check(0, 'refused', { gateways: [], openclaw: run }, run);
    const late = s.check(2700, 'refused', { gateways: [], openclaw: run }, run);
    expect(names(late.events)).toContain('update_stuck');
    const next = s.check(2730, 'refused', { gateways: [], openclaw: run }, run);
    expect(next.status).not.toBe('updating');
  });
});
