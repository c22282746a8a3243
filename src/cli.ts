#!/usr/bin/env node
import { parseFlags, type Flags } from './lib/cli/args.js';
import { COMMON_HELP, USAGE } from './lib/cli/help.js';
import { errorMessage, isUserError } from './lib/errors.js';
import { redactText } from './lib/redact.js';
import { packageVersion } from './lib/version.js';
import type { ParseArgsConfig } from 'node:util';

export interface Command {
  summary: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(flags: Flags): Promise<number>;
}

// Each command loads only when it runs: a healthy `check` must not pay for `serve` or `status`.
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  probe: () => import('./commands/probe.js'),
  check: () => import('./commands/check.js'),
  status: () => import('./commands/status.js'),
  events: () => import('./commands/events.js'),
  serve: () => import('./commands/serve.js'),
  pause: () => import('./commands/pause.js'),
  resume: () => import('./commands/resume.js'),
  'install-cron': () => import('./commands/install-cron.js'),
  'uninstall-cron': () => import('./commands/uninstall-cron.js'),
};

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
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(
      `openclaw-watchdog: unknown command ${JSON.stringify(name)}\n\n${USAGE}\n`,
    );
    return 2;
  }
  const { command } = await load();
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
      `openclaw-watchdog: internal error: ${redactText((error as Error)?.stack ?? String(error))}\n`,
    );
    process.exitCode = 1;
  },
);
