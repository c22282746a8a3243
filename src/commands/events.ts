import type { Command } from '../lib/cli/command.js';
import { intFlag, pathFlags, type Flags } from '../lib/cli/args.js';
import { details, localTime } from '../lib/cli/human.js';
import { resolvePaths } from '../lib/config/paths.js';
import { readRecentEvents } from '../lib/store/events.js';
import { redactDeep } from '../lib/redact.js';
import { watchdogFiles } from '../lib/files.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog events [-n N] [--json]

The last N events (default 20) of <state dir>/watchdog/events.jsonl, one line each, local time.
With --json, the raw JSON lines.

Options:
  -n, --lines N     how many events (1 to 100000)`,
  options: { lines: { type: 'string', short: 'n' } },
  async run(flags: Flags) {
    const n = intFlag(flags, 'lines', 1, 100_000) ?? 20;
    const file = watchdogFiles({ paths: resolvePaths(pathFlags(flags), process.env) }).events;
    // Redacted again on the way out: a log written by an older version may hold key-shaped text.
    const events = redactDeep(readRecentEvents(file, n));
    if (flags.json) {
      process.stdout.write(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
      return 0;
    }
    if (!events.length) {
      process.stdout.write(`no events yet (${file})\n`);
      return 0;
    }
    for (const e of events) {
      process.stdout.write(
        `${localTime(e.ts)}  ${String(e.level).padEnd(5)}  ${String(e.event)}  ${details(e)}`.trimEnd() +
          '\n',
      );
    }
    return 0;
  },
};
