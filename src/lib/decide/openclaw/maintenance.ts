import { secs } from '../../units.js';
import { waiting, type Step } from '../step.js';
import type { Decision } from '../types.js';
import type { OpenClawSeen } from './types.js';

/** What OpenClaw says to do about an update that does not finish (docs cli/update). */
export const UPDATE_GUIDANCE =
  'run `openclaw update status` to see the run, and `openclaw update repair` to finish or roll it back';
const DOCTOR_GUIDANCE =
  'see what holds the state lock (`openclaw gateway status --deep`); doctor releases it when its SQLite work ends';

type Work = { kind: 'updating' | 'maintenance'; detail: string; key: string };

/**
 * The key of one piece of OpenClaw's work (state.stuckWork): its kind and a 64-bit FNV-1a hash of
 * its identity (the run's id, the lock's role and pid, the successor's pids), so that any id fits
 * the fixed-size state file. Pure.
 */
export function workKey(what: string, id: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${what} ${hex(a)}${hex(b)}`;
}

/** The key of a suspension (state.stuckWork): a gateway that answers healthy is not suspended. */
export const SUSPENDED = 'suspended';

/** What OpenClaw is doing itself that a watchdog must not interfere with, if anything. Pure. */
export function openclawAtWork(seen: OpenClawSeen): Work | null {
  if (seen.update) {
    const { runId, phase, driverPid } = seen.update;
    const at = phase ? ` in phase ${phase}` : '';
    const detail = `OpenClaw update ${runId}${at} (driver pid ${driverPid})`;
    return { kind: 'updating', detail, key: workKey('update', runId) };
  }
  if (seen.successor) {
    const { parent, child } = seen.successor;
    return {
      kind: 'updating',
      detail: `update successor pid ${child} (of pid ${parent}) starting`,
      key: workKey('successor', `${parent} ${child}`),
    };
  }
  if (seen.suspended)
    return {
      kind: 'updating',
      detail: 'the gateway is suspended (gateway-suspending): an update drains it',
      key: SUSPENDED,
    };
  if (seen.lockRole) {
    const { role, pid } = seen.lockRole;
    const who = role === 'sqlite-maintenance' ? 'doctor' : role;
    return {
      kind: 'maintenance',
      detail: `${who} holds OpenClaw's state lock (${role}, pid ${pid})`,
      key: workKey('lock', `${role} ${pid}`),
    };
  }
  return null;
}

/**
 * OpenClaw updates or maintains itself (an update run with a live driver, a successor booting, a
 * suspended gateway, doctor's lock role): status `updating` / `maintenance`, nothing stopped,
 * started or reaped, for up to update.maxSec. Past it, `update_stuck` (an alert) once, with
 * OpenClaw's own guidance, and the usual rules apply again (null). Null when OpenClaw is not at
 * work (the record of a stretch is cleared).
 *
 * The work whose bound is spent is remembered by its key (`state.stuckWork`: the update run's id,
 * the lock's role and pid, the successor's pids) until a read of the records finds it gone or
 * other work: a healthy check between (which does not read them) neither ends it nor starts a new
 * bound for the same work, so one stuck run is said once and never holds a stop again.
 */
export function maintenance(step: Step): Decision | null {
  const seen = step.obs.openclaw;
  const work = seen ? openclawAtWork(seen) : null;
  if (!work) {
    // Records that could not be read do not say the spent work is gone: it stays spent.
    const stuckWork = seen?.unread !== undefined ? (step.state.stuckWork ?? null) : null;
    step.state = { ...step.state, maintenance: null, stuckWork };
    return null;
  }
  const spent = step.state.stuckWork ?? null;
  // Other work than the one past its bound: a stretch of its own.
  const saved = spent === null || spent === work.key ? step.state.maintenance : null;
  const since = saved?.kind === work.kind ? saved.since : step.now;
  const stuckSaid = spent === work.key || (saved?.kind === work.kind && saved.stuckSaid);
  const forSec = secs(step.now - since);
  if (stuckSaid || step.now - since >= step.settings.update.maxSec * 1000) {
    if (!stuckSaid) {
      const guidance = work.kind === 'updating' ? UPDATE_GUIDANCE : DOCTOR_GUIDANCE;
      const { kind, detail } = work;
      step.events.push({
        level: 'error',
        event: 'update_stuck',
        kind,
        detail,
        sinceSec: forSec,
        guidance,
      });
    }
    const maintenance = { kind: work.kind, since, stuckSaid: true };
    step.state = { ...step.state, maintenance, stuckWork: work.key };
    return null;
  }
  const maintenance = { kind: work.kind, since, stuckSaid: false };
  step.state = { ...step.state, maintenance, stuckWork: null };
  const left = `${work.detail}; left alone for ${forSec} s (at most ${step.settings.update.maxSec} s)`;
  return waiting(step, work.kind, left, 0);
}
