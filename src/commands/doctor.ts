import type { Command } from '../lib/cli/command.js';
import { pathFlags, type Flags } from '../lib/cli/args.js';
import { shQuote } from '../lib/cron/block.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog doctor [--all] [--json]

Checks the whole set-up end to end and prints one line per check, ok, warn or fail, each that is
not ok with the exact fix: the crontab block and the launcher cron runs (its node and CLI run),
the cron daemon, a check within the last 3 cadences, the gateway (answers? token?), a way to
start it (openclaw --version with the PATH cron has, restart.command, or the systemd unit), the
config, alert channels and the heartbeat, disk, and OpenClaw's own state (safe mode, an update,
unclean boots). It changes nothing.
With --all: every state dir that has a block in your crontab.
Exit 0 when nothing fails (warnings allowed), 1 when a check fails, 2 on a usage mistake.`,
  options: { all: { type: 'boolean' } },
  async run(flags: Flags) {
    const { doctorOne, doctorAll } = await import('../lib/doctor/report.js');
    if (flags.all) return doctorAll(process.env, Boolean(flags.json));
    return doctorOne(
      { flags: pathFlags(flags), env: process.env, fixFlags: fixFlags(flags) },
      Boolean(flags.json),
    );
  },
};

/** The flags that name the same state dir again, for the fix lines. */
export function fixFlags(flags: Flags): string {
  const words: string[] = [];
  for (const name of ['state-dir', 'profile', 'config'])
    if (typeof flags[name] === 'string') words.push(`--${name}`, shQuote(flags[name]));
  return words.length ? ` ${words.join(' ')}` : '';
}
