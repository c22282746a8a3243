import type { Step } from '../step.js';
import type { Decision } from '../types.js';

/**
 * A health signal besides the port (a channel, memory, children, the event loop), read on a
 * healthy check from its own Observation field. It pushes its events onto the step, may change
 * the step's state, and returns:
 * - null: nothing to do;
 * - a decision with actions (e.g. a graceful restart, a channel account restart): it decides the
 *   check, later signals are not read;
 * - a `held` decision (step.ts gracefulRestart while backoff holds the restart): no action; the
 *   check goes on with the next signal (whose events and state are kept) and ends `degraded`,
 *   exit 0, unless a later signal acts.
 * One file per signal; each adds itself to SIGNALS.
 */
export type Signal = (step: Step) => Decision | null;
