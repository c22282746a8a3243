import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { gracefulRestart, type Step } from '../../../src/lib/decide/step.js';
import { freshState, type State } from '../../../src/lib/store/state.js';
import { obs, sec } from './scenario.js';

const target = { pid: 4242, startTicks: 777 };

function step(at: number, state: State): Step {
  const o = obs(at, 'healthy');
  return { settings: defaultSettings(), obs: o, now: sec(at), state, events: [], slackMs: 0 };
}

describe('gracefulRestart', () => {
  it('asks for one graceful restart of the target, then holds a second one under backoff', () => {
    const first = gracefulRestart(step(0, freshState()), 'memory', 'rss 3 GB', target, 300);
    expect(first.status).toBe('degraded');
    expect(first.actions).toEqual([
      {
        type: 'graceful-restart',
        reason: 'memory',
        target,
        drainSec: 300,
        probeTimeoutMs: 2000,
      },
    ]);
    expect(first.state.restarts.consecutive).toBe(1);

    // Over the ceiling again right after: the backoff holds it (held: the check goes on, exit 0).
    const again = gracefulRestart(step(30, first.state), 'memory', 'rss 3 GB', target, 300);
    expect(again).toMatchObject({ actions: [], status: 'degraded', exitCode: 0, held: true });
    expect(again.events.map((e) => e.event)).toEqual(['restart_deferred']);
    expect(again.state.waiting).toBe('backoff');
  });
});
