import type { State } from '../../store/state.js';
import type { GatewayTree } from '../types.js';

/** The per-gateway signal timers: memory_high, the memory sustain, children_high, the lag count. */
const CLEARED = {
  memoryHighSince: null,
  memoryOverSince: null,
  childrenHighSince: null,
  lagChecks: 0,
} as const satisfies Partial<State>;

/**
 * The signal timers belong to the gateway they measured (pid + start time): a healthy check that
 * reads another gateway's tree starts them afresh (a new gateway gets its own memory.sustainSec,
 * its own memory_high, its own lag count). Pure.
 */
export function keyToGateway(state: State, tree: GatewayTree | null | undefined): State {
  if (!tree) return state;
  const of = state.signalsOf;
  if (of && of.pid === tree.pid && of.startTicks === tree.startTicks) return state;
  const signalsOf = { pid: tree.pid, startTicks: tree.startTicks };
  // None named yet (after a not-healthy check, or a state from before this field): keep the rest.
  return of === null ? { ...state, signalsOf } : { ...state, ...CLEARED, signalsOf };
}

/** A check that is not healthy ends every signal stretch: the gateway is down, hung, starting,
 * restarting or stopped; what comes back is measured afresh. Pure. */
export function clearSignals(state: State): State {
  return { ...state, ...CLEARED, signalsOf: null };
}
