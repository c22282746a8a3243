import { out } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { intFlag, pathFlags, type Flags } from '../lib/cli/args.js';
import { details, evidenceLines, localTime } from '../lib/cli/human.js';
import { resolvePaths } from '../lib/config/paths.js';
import { readRecentEvents } from '../lib/store/events.js';
import { redactDeep } from '../lib/redact.js';
import { watchdogFiles } from '../lib/files.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog events [-n N] [--evidence] [--json]

The last N events (default 20) of <state dir>/watchdog/events.jsonl, one line each, local time
(long values cut; an outage's evidence counted, not shown). With --json, the raw JSON lines.

Options:
  -n, --lines N     how many events (1 to 100000)
  --evidence        also the gateway's last lines an outage event carries, and values uncut`,
  options: { lines: { type: 'string', short: 'n' }, evidence: { type: 'boolean' } },
  async run(flags: Flags) {
    const n = intFlag(flags, 'lines', 1, 100_000) ?? 20;
    const file = watchdogFiles({ paths: resolvePaths(pathFlags(flags), process.env) }).events;
    // Redacted again on the way out: a log written by an older version may hold key-shaped text.
    const events = redactDeep(readRecentEvents(file, n));
    if (flags.json) {
      out(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
      return 0;
    }
    if (!events.length) {
      out(`no events yet (${file})\n`);
      return 0;
    }
    const full = Boolean(flags.evidence);
    for (const e of events) {
      const line = `${localTime(e.ts)}  ${String(e.level).padEnd(5)}  ${String(e.event)}  ${details(e, full)}`;
      out([line.trimEnd(), ...(full ? evidenceLines(e) : [])].map((l) => `${l}\n`).join(''));
    }
    return 0;
  },
};
