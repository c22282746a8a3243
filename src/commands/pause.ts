import { out } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { pathFlags, stringFlag, type Flags } from '../lib/cli/args.js';
import { localTime } from '../lib/cli/human.js';
import { loadConfig } from '../lib/config/load.js';
import { UsageError } from '../lib/errors.js';
import { eventLogOptions, watchdogFiles } from '../lib/files.js';
import { appendEvents } from '../lib/store/events.js';
import { MAX_TIME, parseDuration, writePause } from '../lib/store/pause.js';
import { iso } from '../lib/units.js';

const MAX_SEC = 7 * 86_400;

export const command: Command = {
  help: `Usage: openclaw-watchdog pause [--for 30m] [--reason TEXT]

A maintenance window: checks still probe and log, but never kill, restart or reap. It ends by
itself after --for (default 30m; s, m, h or d, up to 7d), or with 'openclaw-watchdog resume'.

Options:
  --for DURATION    how long (default 30m)
  --reason TEXT     shown by 'status' and in the event log`,
  options: { for: { type: 'string' }, reason: { type: 'string' } },
  async run(flags: Flags) {
    const config = loadConfig(pathFlags(flags), process.env);
    const raw = stringFlag(flags, 'for') ?? '30m';
    const sec = parseDuration(raw);
    if (sec === null || sec < 1 || sec > MAX_SEC) {
      throw new UsageError(
        `--for: expected a duration like 30m, 2h or 1d (up to 7d), got ${JSON.stringify(raw)}`,
      );
    }
    const now = Date.now();
    const reason = stringFlag(flags, 'reason') ?? null;
    const files = watchdogFiles(config);
    const untilMs = Math.min(now + sec * 1000, MAX_TIME);
    writePause(files.dir, { since: now, until: untilMs, reason });
    const until = iso(untilMs);
    appendEvents(
      files.events,
      [{ level: 'info', event: 'paused', until, reason }],
      now,
      eventLogOptions(config),
    );
    if (flags.json) out(`${JSON.stringify({ paused: true, until, reason })}\n`);
    else
      out(
        `paused until ${localTime(until)}: checks probe and log, but never kill or restart. Undo: openclaw-watchdog resume\n`,
      );
    return 0;
  },
};
