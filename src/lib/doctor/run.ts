/** All of doctor's checks, in the order they are printed, and how the report reads. */
import { configValid } from './config.js';
import { heartbeat, notifiers } from './alerts.js';
import { cronBlock, cronDaemon, cronLauncher, lastCheck } from './cron.js';
import { disk } from './disk.js';
import { gatewayAnswers, gatewayToken } from './gateway.js';
import { safeMode, uncleanBoots, updating } from './openclaw.js';
import { startPath } from './start.js';
import type { DoctorCheck, DoctorFacts, Finding } from './types.js';

export const CHECKS: DoctorCheck[] = [
  configValid,
  cronBlock,
  cronDaemon,
  cronLauncher,
  lastCheck,
  gatewayAnswers,
  gatewayToken,
  startPath,
  safeMode,
  updating,
  uncleanBoots,
  notifiers,
  heartbeat,
  disk,
];

/** Every finding, pure. */
export function diagnose(facts: DoctorFacts): Finding[] {
  return CHECKS.flatMap((check) => check(facts));
}

/** 0 when nothing fails (warnings included), 1 when one check fails. */
export const doctorExit = (findings: Finding[]): number =>
  findings.some((f) => f.status === 'fail') ? 1 : 0;

/** One line per check, `ok`/`warn`/`fail`, each that is not ok ending with its fix. */
export function formatFindings(findings: Finding[]): string {
  const lines = findings.map(
    (f) =>
      `${f.status.padEnd(4)}  ${f.message}${f.status !== 'ok' && f.fix ? `; fix: ${f.fix}` : ''}`,
  );
  const fails = findings.filter((f) => f.status === 'fail').length;
  const warns = findings.filter((f) => f.status === 'warn').length;
  lines.push(
    fails
      ? `${fails} problem(s) to fix${warns ? `, ${warns} warning(s)` : ''}`
      : warns
        ? `nothing fails; ${warns} warning(s)`
        : 'all good',
  );
  return `${lines.join('\n')}\n`;
}
