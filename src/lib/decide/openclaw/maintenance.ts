import { secs } from '../../units.js';
import { waiting, type Step } from '../step.js';
import type { Decision } from '../types.js';
import type { OpenClawSeen } from './types.js';

/** What OpenClaw says to do about an update that does not finish (docs cli/update). */
export const UPDATE_GUIDANCE =
  'run `openclaw update status` to see the run, and `openclaw update repair` to finish or roll it back';
const DOCTOR_GUIDANCE =
  'see what holds the state lock (`openclaw gateway status --deep`); doctor releases it when its SQLite work ends';

type Work = { kind: 'updating' | 'maintenance'; detail: string };

/** What OpenClaw is doing itself that a watchdog must not interfere with, if anything. Pure. */
export function openclawAtWork(seen: OpenClawSeen): Work | null {
  if (seen.update) {
    const { runId, phase, driverPid } = seen.update;
    const at = phase ? ` in phase ${phase}` : '';
    return { kind: 'updating', detail: `OpenClaw update ${runId}${at} (driver pid ${driverPid})` };
  }
  if (seen.successor) {
    const { parent, child } = seen.successor;
    return {
      kind: 'updating',
      detail: `update successor pid ${child} (of pid ${parent}) starting`,
    };
  }
  if (seen.suspended)
    return {
      kind: 'updating',
      detail: 'the gateway is suspended (gateway-suspending): an update drains it',
    };
  if (seen.lockRole) {
    const { role, pid } = seen.lockRole;
    const who = role === 'sqlite-maintenance' ? 'doctor' : role;
    return {
      kind: 'maintenance',
      detail: `${who} holds OpenClaw's state lock (${role}, pid ${pid})`,
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
 */
export function maintenance(step: Step): Decision | null {
  const seen = step.obs.openclaw;
  const work = seen ? openclawAtWork(seen) : null;
  const saved = step.state.maintenance;
  if (!work) {
    step.state = { ...step.state, maintenance: null };
    return null;
  }
  const since = saved?.kind === work.kind ? saved.since : step.now;
  const stuckSaid = saved?.kind === work.kind && saved.stuckSaid;
  const forSec = secs(step.now - since);
  if (step.now - since >= step.settings.update.maxSec * 1000) {
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
    step.state = { ...step.state, maintenance: { kind: work.kind, since, stuckSaid: true } };
    return null;
  }
  step.state = { ...step.state, maintenance: { kind: work.kind, since, stuckSaid: false } };
  const left = `${work.detail}; left alone for ${forSec} s (at most ${step.settings.update.maxSec} s)`;
  return waiting(step, work.kind, left, 0);
}
