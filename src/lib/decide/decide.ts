import type { State } from '../store/state.js';
import type { WatchdogEvent } from '../store/events.js';
import { graceSec, nextAllowedAt, recordRestartStarted, resetIfStable } from './backoff.js';
import { learnBoot, rebaseClock } from './bookkeeping.js';
import type {
  Action,
  DecideSettings,
  Decision,
  GatewayProc,
  Observation,
  ProcRef,
  Status,
} from './types.js';

const CRASH_LOOP_AFTER = 5;

type WaitReason = 'starting' | 'booting' | 'not_listening' | 'unresponsive' | 'backoff';
const WAIT_STATUS: Record<WaitReason, Status> = {
  starting: 'starting',
  booting: 'starting',
  not_listening: 'starting',
  unresponsive: 'unresponsive',
  backoff: 'deferred',
};
const iso = (ms: number) => new Date(ms).toISOString();
const secs = (ms: number) => Math.round(ms / 100) / 10;

/**
 * One check's decision: a pure function of (settings, saved state, observations, now).
 * It never kills a starting gateway, never touches a foreign port holder, and restarts only
 * when backoff allows. Effects are returned as actions; the caller carries them out.
 */
export function decide(settings: DecideSettings, saved: State, obs: Observation): Decision {
  const now = obs.now;
  let state: State = {
    ...rebaseClock(saved, now, obs.clock ?? null),
    lastCheckAt: now,
    clock: obs.clock ?? null,
    lastVerdict: obs.probe.verdict,
  };
  const events: WatchdogEvent[] = [];
  const result = (
    status: Status,
    detail: string,
    exitCode: 0 | 1,
    actions: Action[] = [],
  ): Decision => ({
    status,
    detail,
    actions,
    events,
    state,
    exitCode,
  });
  const v = obs.probe.verdict;

  if (v === 'healthy') {
    if (state.incident && state.incident.kind !== 'conflict') {
      // Downtime runs from the first check that saw it not healthy, not from the incident event.
      const since = Math.min(state.incident.since, state.unhealthySince ?? state.incident.since);
      events.push({ level: 'info', event: 'gateway_recovered', downtimeSec: secs(now - since) });
    }
    state = {
      ...state,
      incident: null,
      unhealthySince: null,
      waiting: null,
      unresponsiveSince: null,
      startingSince: null,
      notListening: null,
    };
    state = learnBoot(
      { ...state, healthySince: state.healthySince ?? now, lastHealthyAt: now },
      now,
    );
    state = resetIfStable(state, settings, now);
    return result('healthy', obs.probe.reason, 0, [
      { type: 'reap-orphans', minAgeSec: settings.orphans.minAgeSec },
    ]);
  }
  state = { ...state, healthySince: null, unhealthySince: state.unhealthySince ?? now };
  if (v !== 'unresponsive') state = { ...state, unresponsiveSince: null };
  if (v !== 'starting') state = { ...state, startingSince: null };

  const grace = graceSec(settings, state) * 1000;
  const owner = obs.portOwner;
  const ours = obs.gateways.filter((g) => g.ours);
  // Only a positively identified foreign holder is a conflict at once. A holder nobody can see
  // (another user's, or a gateway whose threads are still exiting) waits out the hung timer first.
  const foreignHolder =
    (v === 'not-openclaw' && !owner?.gateway) ||
    (v === 'unresponsive' && owner !== null && !owner.gateway);
  if (foreignHolder) return conflict();

  // Booting: younger than the grace, and not yet seen healthy since it started. A gateway that
  // answered once and then stopped answering is hung, however young.
  const lastHealthy = state.lastHealthyAt;
  const young = obs.gateways.find(
    (g) => g.ageSec * 1000 < grace && (lastHealthy === null || lastHealthy < now - g.ageSec * 1000),
  );
  if (v === 'starting') {
    const since = state.startingSince ?? now;
    state = { ...state, startingSince: since };
    if (young || now - since < grace) return waiting('starting', obs.probe.reason, 0);
    return stopAndRestart(
      'gateway_hung',
      `still ${obs.probe.startup ?? 'starting'} after ${secs(now - since)} s`,
      'stuck_starting',
    );
  }
  if (young) {
    return waiting(
      'booting',
      `gateway pid ${young.pid} is ${Math.round(young.ageSec)} s old (grace ${grace / 1000} s)`,
      0,
    );
  }

  if (v === 'refused') {
    const alive = ours[0];
    if (!alive) {
      openIncident('down', {
        level: 'error',
        event: 'gateway_down',
        reason: 'nothing listens on the port',
      });
      return restart('crashed', 'nothing listens on the port');
    }
    const since = state.notListening?.pid === alive.pid ? state.notListening.since : now;
    state = { ...state, notListening: { pid: alive.pid, since } };
    if (now - since < grace) {
      return waiting(
        'not_listening',
        `gateway pid ${alive.pid} is alive but not listening (${secs(now - since)} s)`,
        0,
      );
    }
    openIncident('down', {
      level: 'error',
      event: 'gateway_down',
      reason: 'gateway alive but not listening',
      pid: alive.pid,
    });
    return restart(
      'not_listening',
      `gateway pid ${alive.pid} has not listened for ${secs(now - since)} s`,
      ours,
    );
  }
  state = { ...state, notListening: null };

  // Unresponsive (or answering oddly) and ours: hung only after probe.hungAfterSec across checks.
  const since = state.unresponsiveSince ?? now;
  if (state.unresponsiveSince === null) {
    events.push({ level: 'warn', event: 'gateway_unresponsive', reason: obs.probe.reason });
  }
  state = { ...state, unresponsiveSince: since };
  if (now - since < settings.probe.hungAfterSec * 1000) {
    return waiting(
      'unresponsive',
      `unresponsive for ${secs(now - since)} s (hung after ${settings.probe.hungAfterSec} s)`,
      1,
    );
  }
  return stopAndRestart('gateway_hung', `unresponsive for ${secs(now - since)} s`, 'hung');

  function stopAndRestart(event: string, why: string, reason: string): Decision {
    const targets: GatewayProc[] = [...ours];
    if (owner?.gateway && !targets.some((g) => g.pid === owner.pid)) {
      const { pid, startTicks, name: title } = owner;
      targets.push({ pid, startTicks, ageSec: 0, title, ours: true });
    }
    if (targets.length === 0 && owner === null && obs.gateways.length === 0) return conflict();
    openIncident('hung', { level: 'error', event, reason: why });
    return restart(reason, why, targets);
  }

  function conflict(): Decision {
    if (state.incident?.kind !== 'conflict') {
      events.push({
        level: 'error',
        event: 'port_conflict',
        pid: owner?.pid ?? null,
        name: owner?.name ?? null,
        verdict: v,
      });
      state = { ...state, incident: { kind: 'conflict', since: now } };
    }
    const who = owner ? `pid ${owner.pid} (${owner.name})` : 'a process this user cannot see';
    return result(
      'port-conflict',
      `the port is held by ${who}, not an OpenClaw gateway; it is left alone`,
      1,
    );
  }

  function openIncident(kind: 'down' | 'hung', event: WatchdogEvent): void {
    if (state.incident && state.incident.kind !== 'conflict') return;
    events.push(event);
    state = { ...state, incident: { kind, since: state.unhealthySince ?? now } };
  }

  /** Not healthy, and this check waits rather than acts: say why, once per reason and stretch. */
  function waiting(reason: WaitReason, detail: string, exitCode: 0 | 1): Decision {
    if (state.waiting !== reason) {
      events.push({ level: 'info', event: 'waiting', reason, detail });
      state = { ...state, waiting: reason };
    }
    return result(WAIT_STATUS[reason], detail, exitCode);
  }

  function restart(reason: string, why: string, stop: GatewayProc[] = []): Decision {
    const allowedAt = nextAllowedAt(state, settings, now);
    if (now < allowedAt) {
      // Keep the capped time, so that a clock that jumped backwards cannot slide it forever.
      state = { ...state, restarts: { ...state.restarts, nextAllowedAt: allowedAt } };
      events.push({
        level: 'warn',
        event: 'restart_deferred',
        reason,
        nextAttemptAt: iso(allowedAt),
      });
      return waiting('backoff', `${why}; restart deferred until ${iso(allowedAt)} (backoff)`, 1);
    }
    state = { ...recordRestartStarted(state, settings, now), waiting: null };
    if (state.restarts.consecutive >= CRASH_LOOP_AFTER && !state.crashLoopNotified) {
      events.push({
        level: 'error',
        event: 'crash_loop',
        consecutiveRestarts: state.restarts.consecutive,
      });
      state = { ...state, crashLoopNotified: true };
    }
    const actions: Action[] = [];
    const targets: ProcRef[] = stop.map(({ pid, startTicks }) => ({ pid, startTicks }));
    if (targets.length) actions.push({ type: 'stop', targets, reason });
    // Every orphan goes before a restart, whatever its age: the new gateway starts clean.
    actions.push({ type: 'reap-orphans', minAgeSec: null }, { type: 'restart', reason });
    return result(
      reason === 'crashed' || reason === 'not_listening' ? 'down' : 'hung',
      why,
      1,
      actions,
    );
  }
}
