import type { Step } from '../step.js';
import type { Decision } from '../types.js';

/**
 * A health signal besides the port (a channel, memory, children, the event loop), read on a
 * healthy check from its own Observation field. It pushes its events onto the step, may change
 * the step's state, and returns:
 * - null: nothing to do;
 * - a decision with actions (e.g. a graceful restart, a channel account restart): it decides the
 *   check, later signals are not read;
 * - a `held` decision (graceful-restart.ts while backoff holds the restart): no action; the
 *   check goes on with the next signal (whose events and state are kept) and ends `degraded`,
 *   exit 0, unless a later signal acts;
 * - a decision without actions, status `updating`/`maintenance` (graceful-restart.ts while
 *   OpenClaw updates or maintains itself: openclaw/hold-stop.ts): it decides the check.
 * One file per signal; each adds itself to SIGNALS.
 */
export type Signal = (step: Step) => Decision | null;
