import type { State } from '../../store/state.js';
import type { Observation } from '../types.js';

export type Died = { at: number; from: 'boot_ledger' | 'gateway_log' };

/**
 * When the gateway actually died, from OpenClaw's own records, for an outage a check has just
 * found (`firstSeen`): the completion of its last boot row (a clean stop, a planned restart, a
 * startup failure: OpenClaw wrote when), else the last write of the log of the gateway this
 * watchdog started. Only a time after the last check that saw it healthy and not after the
 * first that saw it down counts (an idle gateway's log, or the previous boot's row, says
 * nothing about this death). A SIGKILL leaves its row open: then only the log can tell. Null:
 * not known; the downtime then counts from the first check.
 */
export function deathOf(state: State, obs: Observation, firstSeen: number): Died | null {
  const after = state.lastHealthyAt;
  if (after === null) return null;
  // Stryker disable next-line ConditionalExpression: null and undefined are above no epoch time (after), so `within` is false for them all the same
  const known = (t: number | null | undefined): t is number => typeof t === 'number';
  const within = (t: number | null | undefined): t is number =>
    known(t) && t > after && t <= firstSeen;
  const read = obs.bootLedger;
  const last = read?.ok ? read.value.last : null;
  if (within(last?.completedAtMs)) return { at: last!.completedAtMs!, from: 'boot_ledger' };
  if (within(obs.gatewayLogAt)) return { at: obs.gatewayLogAt, from: 'gateway_log' };
  return null;
}
