/** Doctor's start check: a way to start the gateway exists and runs, as cron would use it. It is
 * the restart's own proof (restart/can-start.ts), so doctor and `restart_impossible` say the same. */
import type { DoctorFacts, Finding } from './types.js';

const HOW = {
  command: 'restart.command',
  systemd: 'the systemd user unit',
  openclaw: 'openclaw',
} as const;

export function startPath(f: DoctorFacts): Finding {
  const id = 'gateway.start';
  const s = f.start;
  if (s.ok)
    return { id, status: 'ok', message: `${HOW[s.method]} starts the gateway (${s.proof})` };
  return {
    id,
    status: 'fail',
    message: `no start possible with the PATH cron has: ${s.error}; a crash could not be restarted`,
    fix: s.fix,
  };
}
