import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { decide } from '../../../../src/lib/decide/decide.js';
import { applyPause } from '../../../../src/lib/decide/on-purpose/pause.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { restartAction } from '../scenario.js';

const settings = defaultSettings();
const obs = (now: number) => ({
  now,
  probe: { verdict: 'refused' as const, startup: null, reason: 'refused', ms: 1 },
  gateways: [],
  portOwner: null,
});

describe('applyPause', () => {
  it('carries out nothing while paused, says what it skipped, and does not count the skipped restart', () => {
    const saved = freshState();
    const d = applyPause(
      decide(settings, saved, obs(1000)),
      { since: 0, until: 5000, reason: 'x' },
      1000,
      saved,
    );
    expect(d.actions).toEqual([]);
    expect(d.events.map((e) => e.event)).toEqual(['gateway_down', 'action_skipped']);
    expect(d.events[1]).toMatchObject({ reason: 'paused', actions: ['reap-orphans', 'restart'] });
    expect(d.state.restarts).toEqual(saved.restarts);
    expect(d.pauseExpired).toBe(false);
  });

  it('an expired pause says resumed and lets the decision through', () => {
    const saved = freshState();
    const d = applyPause(
      decide(settings, saved, obs(9000)),
      { since: 0, until: 5000, reason: null },
      9000,
      saved,
    );
    expect(d.pauseExpired).toBe(true);
    expect(d.events[0]).toMatchObject({ event: 'resumed', reason: 'expired', pausedSec: 5 });
    expect(d.actions.at(-1)).toEqual(restartAction('crashed'));
  });

  it('no pause: the decision as it is', () => {
    const d = decide(settings, freshState(), obs(0));
    expect(applyPause(d, null, 0, freshState())).toEqual({ ...d, pauseExpired: false });
  });
});
