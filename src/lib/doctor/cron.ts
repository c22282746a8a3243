/** Doctor's cron checks: the crontab block, the cron daemon, the launcher, and the last check. */
import type { DoctorFacts, Finding } from './types.js';

const install = (f: DoctorFacts) => `openclaw-watchdog install-cron${f.fixFlags}`;

/** The crontab block for this state dir is there and is what this version's install-cron writes. */
export function cronBlock(f: DoctorFacts): Finding {
  const id = 'cron.block';
  const { cron } = f;
  if (cron.crontabError !== null)
    return {
      id,
      status: 'fail',
      message: `cannot read your crontab: ${cron.crontabError}`,
      fix: 'install cron (Debian/Ubuntu: apt-get install cron; Fedora/RHEL: dnf install cronie), then openclaw-watchdog install-cron',
    };
  if (!cron.block)
    return {
      id,
      status: 'fail',
      message: `no openclaw-watchdog block for state dir ${f.stateDir} in your crontab: nothing runs the check`,
      fix: install(f),
    };
  if (cron.block.legacy)
    return {
      id,
      status: 'warn',
      message: 'the crontab block is in the old single-block form (a version before 0.2)',
      fix: install(f),
    };
  const same =
    cron.block.entries.length === cron.expectedEntries.length &&
    cron.block.entries.every((l, i) => l === cron.expectedEntries[i]);
  if (!same)
    return {
      id,
      status: 'warn',
      message: `the crontab block for ${f.stateDir} was edited or written by another version: it does not run ${f.launcher.path} as install-cron writes it`,
      fix: install(f),
    };
  return {
    id,
    status: 'ok',
    message: `crontab block for ${f.stateDir}: a check every ${cron.block.every ?? '?'} through ${f.launcher.path}`,
  };
}

/** A cron daemon runs (read from /proc: no `ps`). */
export function cronDaemon(f: DoctorFacts): Finding {
  const id = 'cron.daemon';
  const { daemons } = f.cron;
  if (daemons === null)
    return {
      id,
      status: 'warn',
      message: 'cannot tell whether a cron daemon runs (no /proc)',
      fix: 'check it yourself: systemctl status cron (Fedora/RHEL: crond)',
    };
  if (daemons.length === 0)
    return {
      id,
      status: 'fail',
      message:
        'no cron daemon is running (no cron, crond or cronie process): your crontab runs nothing',
      fix: 'start it: sudo systemctl enable --now cron (Fedora/RHEL: crond; in a container: run cron in the foreground, cron -f)',
    };
  const d = daemons[0]!;
  return { id, status: 'ok', message: `cron daemon running (${d.name}, pid ${d.pid})` };
}

/** The launcher cron runs is there, its node and CLI exist and run, and it is this version. */
export function cronLauncher(f: DoctorFacts): Finding {
  const id = 'cron.launcher';
  const l = f.launcher;
  if (!l.exists)
    return {
      id,
      status: f.cron.block ? 'fail' : 'warn',
      message: `the launcher cron runs, ${l.path}, is missing`,
      fix: install(f),
    };
  if (!l.executable)
    return {
      id,
      status: 'fail',
      message: `the launcher ${l.path} is not executable: cron cannot run it`,
      fix: install(f),
    };
  if (l.node === null || l.cli === null)
    return {
      id,
      status: 'fail',
      message: `the launcher ${l.path} was not written by install-cron (no exec of node and the CLI)`,
      fix: install(f),
    };
  if (!l.run?.ok)
    return {
      id,
      status: 'fail',
      message: `the launcher runs ${l.node} ${l.cli}, which fails: ${l.run?.output ?? 'not run'} (node moved? another nvm version? the install removed?)`,
      fix: `run install-cron again from the node and openclaw-watchdog you use now: ${install(f)}`,
    };
  if (l.cli !== l.thisCli || l.run.output !== l.thisVersion)
    return {
      id,
      status: 'warn',
      message: `cron runs openclaw-watchdog ${l.run.output} at ${l.cli}; this is ${l.thisVersion} at ${l.thisCli}`,
      fix: `to have cron run this one: ${install(f)}`,
    };
  return {
    id,
    status: 'ok',
    message: `launcher runs openclaw-watchdog ${l.run.output} with ${l.node}`,
  };
}

/** A check ran within the last 3 cadences. */
export function lastCheck(f: DoctorFacts): Finding {
  const id = 'cron.last-check';
  const window = 3 * f.everySec * 1000;
  if (f.lastCheckAt === null) {
    // Just installed: cron has not had its first minute yet.
    const young = f.launcher.writtenAt !== null && f.now - f.launcher.writtenAt < window;
    return {
      id,
      status: young || !f.cron.block ? 'warn' : 'fail',
      message: young
        ? `no check has run yet for ${f.stateDir}; cron runs the first within a minute`
        : `no check has ever run for ${f.stateDir}${f.cron.block ? ': is cron running?' : ''}`,
      fix: young
        ? 'run openclaw-watchdog doctor again in a minute'
        : 'see cron.daemon above; try one by hand: openclaw-watchdog check',
    };
  }
  const age = f.now - f.lastCheckAt;
  if (age > window) {
    const min = Math.round(age / 60_000);
    return {
      id,
      status: 'fail',
      message: `no check for ${min} min: is cron running? (the last one ${new Date(f.lastCheckAt).toISOString()}; cadence ${f.everySec} s)`,
      fix: 'see cron.daemon and cron.launcher above; the cron log (journalctl -u cron, /var/log/syslog) says why a job did not run',
    };
  }
  return { id, status: 'ok', message: `last check ${Math.round(age / 1000)} s ago` };
}
