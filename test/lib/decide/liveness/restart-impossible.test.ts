import { describe, expect, it } from 'vitest';
import { afterImpossible } from '../../../../src/lib/decide/liveness/restart-impossible.js';
import { afterRestart } from '../../../../src/lib/decide/liveness/after-restart.js';
import { decideRun } from '../../../../src/lib/decide/run.js';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { names, obs, sec, tree } from '../scenario.js';

const why = { method: 'none', error: 'openclaw not found', fix: 'set restart.openclaw' };

describe('a restart with no start possible', () => {
  it('restores the restart bookkeeping, says restart_impossible once until a restart is carried out', () => {
    const settings = defaultSettings();
    settings.memory = {
      ...settings.memory,
      restartAboveMB: 1000,
      warnAboveMB: null,
      sustainSec: 0,
    };
    const d = decideRun(settings, freshState(), obs(0, 'healthy', { tree: tree(1200) }));
    expect(d.actions.map((a) => a.type)).toContain('graceful-restart');
    expect(d.state.restarts.consecutive).toBe(1);
    const first = afterImpossible(d.state, d.before, why, 'memory');
    expect(first.state.restarts).toEqual(freshState().restarts);
    expect(names(first.events)).toEqual(['restart_impossible']);
    expect(first.events[0]).toMatchObject({ level: 'error', reason: 'memory', ...why });
    expect(first).toMatchObject({ exitCode: 1 });
    expect(first.detail).toBe('restart impossible: openclaw not found; fix: set restart.openclaw');
    const again = afterImpossible(first.state, d.before, why, 'memory');
    expect(again.events).toEqual([]);
    // A restart carried out ends it: the next impossible one is said again.
    const outcome = {
      method: 'openclaw' as const,
      pid: 1,
      startTicks: 2,
      startedAt: sec(60),
      endedAt: sec(70),
      result: 'healthy' as const,
    };
    const restarted = afterRestart(again.state, outcome, 'crashed');
    expect(restarted.state.restartImpossibleSaid).toBeUndefined();
    expect(names(afterImpossible(restarted.state, null, why, 'memory').events)).toEqual([
      'restart_impossible',
    ]);
  });
});
