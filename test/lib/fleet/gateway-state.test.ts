import { describe, expect, it } from 'vitest';
import { gatewayState, type StateInput } from '../../../src/lib/fleet/gateway-state.js';

const base: StateInput = {
  verdict: 'healthy',
  saved: 'healthy',
  paused: false,
  stoppedByUser: false,
  degraded: false,
};

describe('gateway state (the one-hot metric)', () => {
  it.each([
    [{}, 'healthy'],
    [{ degraded: true }, 'degraded'],
    [{ verdict: 'starting' }, 'starting'],
    [{ verdict: 'unresponsive' }, 'hung'],
    [{ verdict: 'refused' }, 'down'],
    [{ verdict: 'not-openclaw' }, 'down'],
    [{ verdict: 'refused', stoppedByUser: true }, 'stopped'],
    // a user stop that is over: the gateway answers again
    [{ stoppedByUser: true }, 'healthy'],
    [{ verdict: 'refused', paused: true }, 'paused'],
    [{ paused: true, saved: 'updating' }, 'paused'],
    // OpenClaw's own lifecycle, as the last check saved it (issue 19), wins over the probe
    [{ saved: 'safe_mode' }, 'safe_mode'],
    [{ verdict: 'refused', saved: 'updating' }, 'updating'],
    [{ verdict: 'refused', saved: 'maintenance', stoppedByUser: true }, 'maintenance'],
    [{ verdict: 'something-new' }, 'down'],
    // the boot ledger says the breaker tripped: a running gateway is in safe mode, a gone one down
    [{ breakerTripped: true }, 'safe_mode'],
    [{ breakerTripped: true, verdict: 'starting' }, 'safe_mode'],
    [{ breakerTripped: true, verdict: 'refused' }, 'down'],
    [{ breakerTripped: true, paused: true }, 'paused'],
  ] as [Partial<StateInput>, string][])('%j → %s', (over, expected) => {
    expect(gatewayState({ ...base, ...over })).toBe(expected);
  });
});
