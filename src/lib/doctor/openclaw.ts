/** Doctor's OpenClaw lifecycle checks: safe mode, an update or maintenance, unclean boots. */
import type { DoctorFacts, Finding } from './types.js';

export function safeMode(f: DoctorFacts): Finding {
  const id = 'openclaw.safe-mode';
  const o = f.openclaw;
  if (o.suppressed.length > 0 || o.breakerTripped || o.savedSafeModeSince !== null) {
    const since =
      o.savedSafeModeSince !== null ? ` since ${new Date(o.savedSafeModeSince).toISOString()}` : '';
    const next =
      f.openclaw.breakerAction === 'recover'
        ? 'the watchdog restarts it in place once the 5-min window holds no unclean boot (breaker.action "recover")'
        : 'OpenClaw restores the channels by itself 5–11 min after the boots stop (breaker.action "alert")';
    return {
      id,
      status: 'warn',
      message: `OpenClaw's crash-loop breaker is on (safe mode)${since}: ${o.suppressed.length ? `channels ${o.suppressed.join(', ')} kept off` : 'its channels are kept off'} after ${o.breakerThreshold} unclean boots in 5 min; ${next}`,
      fix: 'find the crash first (openclaw-watchdog events; <state dir>/logs/stability/); to start a channel now: openclaw gateway call channels.start --params \'{"channel":"<id>"}\' (docs/openclaw-lifecycle.md)',
    };
  }
  return { id, status: 'ok', message: 'not in safe mode' };
}

export function updating(f: DoctorFacts): Finding {
  const id = 'openclaw.maintenance';
  const o = f.openclaw;
  if (o.lockRole)
    return {
      id,
      status: 'warn',
      message: `OpenClaw holds the gateway's lifecycle lock as ${o.lockRole.role} (pid ${o.lockRole.pid}): an update or openclaw doctor is at work; a gateway started now waits for it`,
      fix: 'let it finish (openclaw update status); the watchdog does not start or stop the gateway meanwhile',
    };
  if (o.atWork)
    return {
      id,
      status: 'warn',
      message: `the last check found OpenClaw ${o.atWork === 'updating' ? 'updating itself' : 'in maintenance'}`,
      fix: 'let it finish (openclaw update status); run openclaw-watchdog doctor again after',
    };
  return { id, status: 'ok', message: 'no update or maintenance in progress' };
}

export function uncleanBoots(f: DoctorFacts): Finding {
  const id = 'openclaw.unclean-boots';
  const n = f.openclaw.uncleanBoots;
  if (n === null)
    return {
      id,
      status: 'ok',
      message: `unclean boots: not known (OpenClaw's boot ledger: ${f.openclaw.ledgerError ?? 'unreadable'})`,
    };
  if (n === 0) return { id, status: 'ok', message: 'no unclean boots in the last 5 min' };
  const at = f.openclaw.breakerThreshold;
  return {
    id,
    status: 'warn',
    message: `${n} unclean boot(s) in the last 5 min (OpenClaw turns its channels off at ${at})`,
    fix: 'see why it crashed: openclaw-watchdog events, and the gateway log (<state dir>/watchdog/gateway.log)',
  };
}
