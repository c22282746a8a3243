import { out } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import type { Flags } from '../lib/cli/args.js';
import { withCrontab, writeCrontab } from '../lib/cron/crontab.js';
import { planUninstall } from '../lib/cron/install.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog uninstall-cron [--state-dir DIR | --profile NAME] [--dry-run]

Removes the managed block of one state dir (the default one, or --state-dir / --profile) from
your crontab; other state dirs' blocks and every other line are kept as they are. A check that
cron already started (the 30 s entry sleeps first) still runs once, up to 30 s later.`,
  options: { 'dry-run': { type: 'boolean' } },
  async run(flags: Flags) {
    return withCrontab(async () => {
      const plan = await planUninstall(flags, process.env);
      if (flags['dry-run']) {
        out(plan.after);
        return 0;
      }
      if (!plan.removed) {
        const others = plan.others.length
          ? ` (there are blocks for: ${plan.others.join(', ')}; name one with --state-dir)`
          : '';
        out(
          `nothing to remove: no openclaw-watchdog block for state dir ${plan.stateDir} in your crontab${others}\n`,
        );
        return 0;
      }
      await writeCrontab(plan.after);
      out(`removed the openclaw-watchdog block for state dir ${plan.stateDir} from your crontab\n`);
      return 0;
    });
  },
};
