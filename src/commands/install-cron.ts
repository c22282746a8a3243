import { out, err } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { pathFlags, stringFlag, type Flags } from '../lib/cli/args.js';
import { loadConfig } from '../lib/config/load.js';
import { EVERY, shQuote, type Every } from '../lib/cron/block.js';
import { withCrontab, writeCrontab } from '../lib/cron/crontab.js';
import { planInstall, refuseControlCharacters, type CronPlan } from '../lib/cron/install.js';
import { listBlocks } from '../lib/cron/list.js';
import { writeLauncher } from '../lib/cron/launcher.js';
import { UsageError } from '../lib/errors.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog install-cron [--every 30s|1m|2m|5m] [--dry-run] [--list]

Adds one managed block per state dir to your own crontab (no root): a check every 30 s by default
(cron's unit is a minute, so the second entry waits 30 s). The entry runs a small launcher,
<state dir>/watchdog/cron-check.sh, that sets the HOME and PATH you have now (and any OPENCLAW_*
location variables) and runs this CLI's check with absolute paths to node and the CLI. Running it
again replaces that state dir's block; other state dirs' blocks and every other line of your
crontab are kept as they are. --state-dir, --profile and --config are carried into the launcher.
It ends by running doctor on the set-up and showing its result (exit 0 whatever doctor finds:
run openclaw-watchdog doctor for its own exit code).

Options:
  --every CADENCE   30s (default), 1m, 2m or 5m
  --dry-run         print the whole crontab it would install (and, on stderr, the launcher)
  --list            list the openclaw-watchdog blocks in your crontab; change nothing`,
  options: {
    every: { type: 'string' },
    'dry-run': { type: 'boolean' },
    list: { type: 'boolean' },
  },
  async run(flags: Flags) {
    if (flags.list) return withCrontab(() => listBlocks(flags, process.env));
    refuseControlCharacters(flags, process.env);
    loadConfig(pathFlags(flags), process.env); // a config mistake is reported now, not by cron later
    const every = (stringFlag(flags, 'every') ?? '30s') as Every;
    if (!EVERY.includes(every))
      throw new UsageError(
        `--every: expected one of ${EVERY.join(', ')}, got ${JSON.stringify(every)}`,
      );
    return withCrontab(async () => {
      const plan = await planInstall(every, flags, process.env);
      if (flags['dry-run']) {
        out(plan.after);
        err(`# ${plan.launcher.path} (mode 0700):\n${plan.launcher.text}`);
        return 0;
      }
      writeLauncher(plan.launcher.path, plan.launcher.text); // before cron can run it
      const again = `${undoFlags(flags, plan.stateDir)}${configFlag(flags)}`;
      await writeCrontab(plan.after);
      out(
        `${plan.replaced ? 'Replaced' : 'Installed'} in your crontab (a check every ${every}):\n\n${plan.block}\nIt runs ${plan.launcher.path}.\nUndo: openclaw-watchdog uninstall-cron${undoFlags(flags, plan.stateDir)}\nSee it work: openclaw-watchdog status${again}   (events: openclaw-watchdog events${again})\n`,
      );
      warnFragile(plan.fragile);
      await showDoctor(flags);
      return 0;
    });
  },
};

/** Ends the install with doctor's report on what was just set up (its result, not our exit code). */
async function showDoctor(flags: Flags): Promise<void> {
  const { doctorReport } = await import('../lib/doctor/report.js');
  const { formatFindings } = await import('../lib/doctor/run.js');
  const { fixFlags } = await import('./doctor.js');
  const report = await doctorReport({
    flags: pathFlags(flags),
    env: process.env,
    fixFlags: fixFlags(flags),
  });
  out(`\nopenclaw-watchdog doctor${fixFlags(flags)}:\n${formatFindings(report.findings)}`);
}

/** The flags that name this block again, for the "Undo:" line. */
function undoFlags(flags: Flags, stateDir: string): string {
  if (typeof flags['state-dir'] === 'string') return ` --state-dir ${shQuote(stateDir)}`;
  if (typeof flags.profile === 'string') return ` --profile ${shQuote(flags.profile)}`;
  return '';
}

/** `--config FILE` when it was given: status and events read the same watchdog config. */
function configFlag(flags: Flags): string {
  return typeof flags.config === 'string' ? ` --config ${shQuote(flags.config)}` : '';
}

function warnFragile(fragile: CronPlan['fragile']): void {
  if (!fragile) return;
  const where =
    fragile.kind === 'npx'
      ? "npx's cache, which npm may clean up"
      : `a git checkout (${fragile.dir}): moving, cleaning or rebuilding it breaks the check`;
  err(
    `warning: cron will run this openclaw-watchdog from ${where}; install a copy (npm pack, then npm install -g ./openclaw-watchdog-<version>.tgz) and run install-cron again from it\n`,
  );
}
