import { out } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { pathFlags, type Flags } from '../lib/cli/args.js';
import { loadConfig } from '../lib/config/load.js';
import { eventLogOptions, watchdogFiles } from '../lib/files.js';
import { appendEvents } from '../lib/store/events.js';
import { clearPause } from '../lib/store/pause.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog resume

Ends a maintenance pause now; the next check acts again.`,
  options: {},
  async run(flags: Flags) {
    const config = loadConfig(pathFlags(flags), process.env);
    const files = watchdogFiles(config);
    const was = clearPause(files.dir);
    if (was)
      appendEvents(
        files.events,
        [{ level: 'info', event: 'resumed', reason: 'manual' }],
        Date.now(),
        eventLogOptions(config),
      );
    if (flags.json) out(`${JSON.stringify({ resumed: was })}\n`);
    else out(was ? 'resumed: checks act again\n' : 'not paused\n');
    return 0;
  },
};
