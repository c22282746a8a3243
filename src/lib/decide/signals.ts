import { channelSignal } from './channels.js';
import { childrenSignal } from './children.js';
import { eventLoopSignal } from './event-loop.js';
import { memorySignal } from './memory.js';
import type { Step } from './step.js';
import type { Decision } from './types.js';

/**
 * A health signal besides the port (a channel, memory, children, the event loop), read on a
 * healthy check from its own Observation field: it pushes its events onto the step, may change
 * the step's state, and returns a decision only when it acts (e.g. a graceful restart), else null.
 * One file per signal; each adds itself to SIGNALS.
 */
export type Signal = (step: Step) => Decision | null;

/** In order: the first signal that acts decides the check; later ones are not read. */
export const SIGNALS: Signal[] = [childrenSignal, eventLoopSignal, memorySignal, channelSignal];
