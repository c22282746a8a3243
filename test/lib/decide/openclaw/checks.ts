// Checks as check.ts runs them when a stop of an answering gateway needs OpenClaw's records:
// decide; on `needs: 'openclaw'` the records are read and it decides again.
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { decide } from '../../../../src/lib/decide/decide.js';
import type { DecideSettings, Decision } from '../../../../src/lib/decide/types.js';
import type { OpenClawSeen } from '../../../../src/lib/decide/openclaw/types.js';
import type { Verdict } from '../../../../src/lib/probe/types.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';
import { names, obs, tree, type Seen } from '../scenario.js';
import { seen } from './seen.js';

/** A memory ceiling of 500 MB acted on at once. */
export const memorySettings = (): DecideSettings => {
  const s = defaultSettings();
  return { ...s, memory: { ...s.memory, restartAboveMB: 500, sustainSec: 0 } };
};

/** A gateway tree over the ceiling of memorySettings, and one under it. */
export const over = { tree: tree(800) };
export const fine = { tree: tree(100) };

/** A decision's actions other than orphan reaping. */
export const acts = (d: Decision) => d.actions.filter((a) => !a.type.endsWith('-orphans'));

/** Checks in a row, the state carried from one to the next; `said` collects every event name. */
export function checks(settings: DecideSettings, state: State = freshState()) {
  const said: string[] = [];
  return {
    get state() {
      return state;
    },
    said,
    check(at: number, verdict: Verdict, look: Seen, records: OpenClawSeen = seen()): Decision {
      let d = decide(settings, state, obs(at, verdict, look));
      if (d.needs === 'openclaw')
        d = decide(settings, state, obs(at, verdict, { ...look, openclaw: records }));
      state = d.state;
      said.push(...names(d.events));
      return d;
    },
  };
}
