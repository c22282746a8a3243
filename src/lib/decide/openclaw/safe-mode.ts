import type { BootLedger } from '../../openclaw/boot-ledger.js';
import { BOOT_LOOP_WINDOW_MS } from '../../openclaw/boot-loop.js';
import { iso, secs } from '../../units.js';
import { result, type Step } from '../step.js';
import type { Action, Decision } from '../types.js';
import { beforeStop } from './hold-stop.js';

/** OpenClaw's health monitor: first tick 60 s after start, then every 300 s. */
const MONITOR_TICKS = '60 s after the safe-mode boot, then every 300 s';

/**
 * OpenClaw's safe mode (§11.1): the gateway answers, /readyz 200 with `suppressed` naming the
 * channels its crash-loop breaker keeps from starting. A healthy probe is not a healthy gateway
 * then: status `safe_mode`, one `gateway_safe_mode` alert per incident, `gateway_safe_mode_ended`
 * once `suppressed` is gone. Never a stop (a SIGKILL adds an unclean boot and extends the window);
 * with breaker.action `recover`, one clean in-place restart once the ledger holds no unclean boot
 * in the window besides the running one (the boot after it recovers at once), never inside it
 * (it trips again), nor while OpenClaw updates or maintains itself (hold-stop.ts). Null when
 * the gateway is not in safe mode (after saying it ended, if it was).
 */
export function safeMode(step: Step): Decision | null {
  const { now } = step;
  const channels = step.obs.probe.suppressed ?? [];
  const saved = step.state.safeMode;
  if (channels.length === 0) {
    if (saved) {
      const durationSec = secs(now - saved.since);
      step.events.push({ level: 'info', event: 'gateway_safe_mode_ended', durationSec });
      step.state = { ...step.state, safeMode: null };
    }
    return null;
  }
  const read = step.obs.bootLedger;
  const ledger = read?.ok ? read.value : null;
  const live = step.obs.liveGateway ?? null;
  const window = ledger ? windowOf(ledger, live?.pid ?? null) : null;
  const since = saved?.since ?? sinceOf(ledger, now);
  const recover = step.settings.breaker.action === 'recover';
  if (!saved) {
    step.events.push({
      level: 'error',
      event: 'gateway_safe_mode',
      channels,
      uncleanBoots: ledger?.uncleanBoots ?? null,
      since: iso(since),
      text: `gateway restart-loop breaker tripped: ${atTrip(ledger, since) ?? 'several'} unclean boot(s) within 300000ms; suppressing channel/provider account auto-start. Inspect the stability bundle and fix the startup crash before restarting the service.`,
      fix: channels
        .map((c) => `openclaw gateway call channels.start --params '{"channel":"${c}"}'`)
        .join('; '),
      next: nextStep(recover, window, read?.ok === false ? read.reason : null),
    });
  }
  const state = { since, recoverAt: saved?.recoverAt ?? null };
  step.state = { ...step.state, safeMode: state };
  const what = `OpenClaw's safe mode: channel(s) ${channels.join(', ')} suppressed by its crash-loop breaker`;
  if (recover && live && window && window.drainsAt <= now && !triedWithin(state.recoverAt, now)) {
    const recovery = (): Decision => {
      step.state = { ...step.state, safeMode: { ...state, recoverAt: now } };
      const action: Action = {
        type: 'graceful-restart',
        reason: 'breaker',
        target: live,
        drainSec: step.settings.memory.drainSec,
        probeTimeoutMs: Math.min(step.settings.probe.timeoutMs, 2000),
        inPlaceOnly: true,
      };
      const detail = `${what}; no unclean boot in the last 300 s: one clean restart restores them`;
      return result(step, 'safe_mode', detail, 1, [action]);
    };
    // OpenClaw updating or maintaining itself holds the recovery too (hold-stop.ts); the status
    // stays safe_mode, exit 1: its channels are still suppressed.
    const decision = beforeStop(step, recovery);
    if (!step.heldForOpenClaw) return decision;
    const detail = `${what}; the clean restart that restores them waits: ${decision.detail}`;
    return { ...decision, status: 'safe_mode', detail, exitCode: 1 };
  }
  const until = window ? `; the window drains at ${iso(window.drainsAt)}` : '';
  return result(step, 'safe_mode', `${what}${until}`, 1);
}

/** The breaker window as far as the running gateway is concerned: its own boot's open row
 * leaves when a clean restart closes it, so only the others count. */
function windowOf(
  ledger: BootLedger,
  livePid: number | null,
): { drainsAt: number; others: number } {
  const own = ledger.last && ledger.last.completedAtMs === null ? ledger.last : null;
  const others = ledger.unclean.filter(
    (u) => !(own && u.bootId === own.bootId && u.pid === livePid),
  );
  const drainsAt = others.reduce((m, u) => Math.max(m, u.leavesAtMs), 0);
  return { drainsAt, others: others.length };
}

/** The unclean boots OpenClaw counted when the safe-mode boot began (those before it still in the
 * window): the number its own text names. */
function atTrip(ledger: BootLedger | null, since: number): number | null {
  if (!ledger) return null;
  const before = ledger.unclean.filter((u) => u.startedAtMs < since).length;
  return before > 0 ? before : null;
}

/** When safe mode began: the breaker boot in the ledger (not in the future, not older than a
 * day: the ledger's retention), else this check. */
function sinceOf(ledger: BootLedger | null, now: number): number {
  const at = ledger?.breakerTripped ? ledger.breakerSinceMs : null;
  // Stryker disable next-line ConditionalExpression: a null `at` gives now either way (now - null is now, older than a day)
  if (at === null) return now;
  // Stryker disable next-line EqualityOperator: a breaker boot at exactly now gives now either way
  const notAhead = at <= now;
  return notAhead && now - at < 86_400_000 ? at : now;
}

/** The recovery restart was tried less than the breaker window ago (it raced OpenClaw's own). */
function triedWithin(recoverAt: number | null, now: number): boolean {
  // Stryker disable next-line ConditionalExpression: never tried gives false either way (now - null is now, past the window)
  if (recoverAt === null) return false;
  return now - recoverAt < BOOT_LOOP_WINDOW_MS;
}

function nextStep(
  recover: boolean,
  window: { drainsAt: number } | null,
  unreadable: string | null,
): string {
  const openclaw = `OpenClaw restores them itself at a health-monitor tick (${MONITOR_TICKS}) once no unclean boot is left in its window`;
  if (!window)
    return `${openclaw}; the boot ledger cannot be read${unreadable ? ` (${unreadable})` : ''}, so the watchdog only alerts`;
  if (!recover) return `${openclaw} (breaker.action alert)`;
  return `the watchdog restarts it cleanly once the window drains (${iso(window.drainsAt)}, or at once if it has), which restores them; never a stop`;
}
