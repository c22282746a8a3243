import type { Step } from '../step.js';
import type { Decision } from '../types.js';
import { maintenance } from './maintenance.js';

/**
 * Before a stop or a planned restart of a gateway that still answers (memory over the ceiling, a
 * channel escalation, the breaker's recovery): OpenClaw at work on itself (an `update_runs` row
 * `running` with a live driver, its lifecycle lock held with a `role`, a suspension) holds it, as
 * on a check that is not healthy (maintenance.ts): status `updating`/`maintenance`, `waiting` once
 * per stretch, nothing stopped, started or reaped, up to update.maxSec; past it `update_stuck` once
 * and `go` goes on, and that work (state.stuckWork) holds no stop or restart again while it lasts. Records that could not be read (a locked or corrupt database) hold nothing:
 * the stop goes ahead, with `openclaw_records_unread` in the log.
 *
 * The records are read only on this path, never on a plain healthy check: while they are unread
 * (`obs.openclaw` undefined) the decision `go` gives is marked `needs: 'openclaw'`, and the check
 * reads them and decides again before it acts (check.ts). `go` builds the action (it may change
 * `step.state`: called only when nothing holds it). Pure.
 */
export function beforeStop(step: Step, go: () => Decision): Decision {
  if (step.obs.openclaw === undefined) return { ...go(), needs: 'openclaw' };
  // The same stretch as the last check's wait: said once (a healthy check clears `waiting`, and
  // waiting() says `waiting` only when the reason differs from the saved one). Any other saved
  // reason differs from both of a hold's (`updating`, `maintenance`), as the cleared one does.
  const cleared = step.state.waiting;
  step.state = { ...step.state, waiting: step.waitingBefore ?? null };
  const held = maintenance(step);
  if (!held) {
    step.state = { ...step.state, waiting: cleared };
    return unreadSaid(step.obs.openclaw?.unread, go());
  }
  step.heldForOpenClaw = true;
  return held;
}

/** Fail open, said: the records could not be read and the decision stops or restarts the gateway
 * (orphan reaping alone is not that stop). */
function unreadSaid(reason: string | undefined, decision: Decision): Decision {
  const acts = decision.actions.some((a) => !a.type.endsWith('-orphans'));
  if (reason === undefined || !acts) return decision;
  const said = { level: 'warn', event: 'openclaw_records_unread', reason } as const;
  return { ...decision, events: [...decision.events, said] };
}
