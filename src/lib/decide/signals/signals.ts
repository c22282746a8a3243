import { channelSignal } from './channels.js';
import { childrenSignal } from './children.js';
import { eventLoopSignal } from './event-loop.js';
import { memorySignal } from './memory.js';
import type { Signal } from './signal.js';

/** In order: the first signal that acts decides the check; a held one does not (see Signal). */
export const SIGNALS: Signal[] = [childrenSignal, eventLoopSignal, memorySignal, channelSignal];
