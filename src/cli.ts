#!/usr/bin/env node
import { parseFlags, type Flags } from './lib/cli/args.js';
import type { CommandEntry } from './lib/cli/command.js';
import { COMMON_HELP, usage } from './lib/cli/help.js';
import { errorMessage, isUserError } from './lib/errors.js';
import { redactText } from './lib/redact.js';
import { packageVersion } from './lib/version.js';

// Each command loads only when it runs: a healthy `check` must not pay for `serve` or `status`.
// The usage text lists them in this order, with these summaries.
const COMMANDS: Record<string, CommandEntry> = {
  check: {
    summary: 'one supervision run (what cron runs every 30 s)',
    load: () => import('./commands/check.js'),
  },
  probe: {
    summary: 'one health probe of the gateway; no lock, no side effects',
    load: () => import('./commands/probe.js'),
  },
  status: {
    summary: 'saved state plus one live probe',
    load: () => import('./commands/status.js'),
  },
  events: {
    summary: 'the event log, human-readable',
    load: () => import('./commands/events.js'),
  },
  serve: {
    summary: 'HTTP endpoint for uptime monitors: /health, /status, /metrics',
    load: () => import('./commands/serve.js'),
  },
  pause: {
    summary: 'maintenance window: probe and log, never kill or restart',
    load: () => import('./commands/pause.js'),
  },
  resume: { summary: 'end a pause', load: () => import('./commands/resume.js') },
  'install-cron': {
    summary: 'add the check to your crontab (every 30 s)',
    load: () => import('./commands/install-cron.js'),
  },
  'uninstall-cron': {
    summary: 'remove it',
    load: () => import('./commands/uninstall-cron.js'),
  },
};
const USAGE = usage(COMMANDS);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (name === undefined) {
    // No command is a usage mistake: usage goes to stderr, exit 2.
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(
      `openclaw-watchdog: unknown command ${JSON.stringify(name)}\n\n${USAGE}\n`,
    );
    return 2;
  }
  const { command } = await entry.load();
  let flags: Flags;
  try {
    flags = parseFlags(name, rest, command.options);
  } catch (error) {
    process.stderr.write(
      `openclaw-watchdog ${errorMessage(error)}\n\n${command.help}\n\n${COMMON_HELP}\n`,
    );
    return 2;
  }
  if (flags.help) {
    process.stdout.write(`${command.help}\n\n${COMMON_HELP}\n`);
    return 0;
  }
  return command.run(flags);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isUserError(error)) {
      process.stderr.write(`openclaw-watchdog: ${redactText(errorMessage(error))}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `openclaw-watchdog: internal error: ${redactText(error instanceof Error && error.stack ? error.stack : String(error))}\n`,
    );
    process.exitCode = 1;
  },
);
