import type { Command } from '../cli.js';
import { pathFlags, stringFlag, type Flags } from '../lib/cli/args.js';
import { loadConfig } from '../lib/config/load.js';
import { EVERY, type Every } from '../lib/cron/block.js';
import { withCrontab, writeCrontab } from '../lib/cron/crontab.js';
import { planInstall } from '../lib/cron/install.js';
import { UsageError } from '../lib/errors.js';

export const command: Command = {
  summary: 'add the check to your crontab',
  help: `Usage: openclaw-watchdog install-cron [--every 30s|1m|2m|5m] [--dry-run]

Adds one managed block to your own crontab (no root): a check every 30 s by default (cron's unit
is a minute, so the second entry waits 30 s). The entry uses absolute paths to node and to this
CLI, and carries the PATH you have now, so that under cron's bare environment the check still
finds 'openclaw' and the Node it needs. Running it again replaces the block; every other line of
your crontab is kept as it is. --state-dir, --profile and --config are carried into the entry.

Options:
  --every CADENCE   30s (default), 1m, 2m or 5m
  --dry-run         print the whole crontab it would install; change nothing`,
  options: { every: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(flags: Flags) {
    loadConfig(pathFlags(flags), process.env); // a config mistake is reported now, not by cron later
    const every = (stringFlag(flags, 'every') ?? '30s') as Every;
    if (!EVERY.includes(every))
      throw new UsageError(
        `--every: expected one of ${EVERY.join(', ')}, got ${JSON.stringify(every)}`,
      );
    return withCrontab(async () => {
      const plan = await planInstall(every, flags, process.env);
      if (flags['dry-run']) {
        process.stdout.write(plan.after);
        return 0;
      }
      await writeCrontab(plan.after);
      const replaced = plan.before.includes('# >>> openclaw-watchdog');
      process.stdout.write(
        `${replaced ? 'Replaced' : 'Installed'} in your crontab (a check every ${every}):\n\n${plan.block}\nUndo: openclaw-watchdog uninstall-cron\nSee it work: openclaw-watchdog status   (events: openclaw-watchdog events)\n`,
      );
      if (plan.fromNpxCache) {
        process.stderr.write(
          "warning: this openclaw-watchdog runs from npx's cache, which npm may clean up; install it for good (npm install -g openclaw-watchdog) and run install-cron again\n",
        );
      }
      return 0;
    });
  },
};
