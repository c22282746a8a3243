import type { Command } from '../cli.js';
import type { Flags } from '../lib/cli/args.js';
import { withCrontab, writeCrontab } from '../lib/cron/crontab.js';
import { planUninstall } from '../lib/cron/install.js';

export const command: Command = {
  summary: 'remove the check from your crontab',
  help: `Usage: openclaw-watchdog uninstall-cron [--dry-run]

Removes the managed block from your crontab; every other line is kept as it is.`,
  options: { 'dry-run': { type: 'boolean' } },
  async run(flags: Flags) {
    return withCrontab(async () => {
      const plan = await planUninstall();
      if (flags['dry-run']) {
        process.stdout.write(plan.after);
        return 0;
      }
      if (plan.after === plan.before) {
        process.stdout.write('nothing to remove: no openclaw-watchdog block in your crontab\n');
        return 0;
      }
      await writeCrontab(plan.after);
      process.stdout.write('removed the openclaw-watchdog block from your crontab\n');
      return 0;
    });
  },
};
