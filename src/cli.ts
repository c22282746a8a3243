#!/usr/bin/env node
import { out, err } from './lib/cli/terminal.js';
import { parseFlags, type Flags } from './lib/cli/args.js';
import type { Command } from './lib/cli/command.js';
import { hoistGlobalFlags } from './lib/cli/global-flags.js';
import { COMMON_HELP, usage } from './lib/cli/help.js';
import { errorMessage, isUserError } from './lib/errors.js';
import { redactText } from './lib/redact.js';
import { nodeTooOld } from './lib/node-version.js';
import { packageVersion } from './lib/version.js';

// Each command loads only when it runs (a lazy chunk in the bundle): a healthy `check` must not
// pay for `serve` or `status`.
const LOAD = {
  check: () => import('./commands/check.js'),
  probe: () => import('./commands/probe.js'),
  status: () => import('./commands/status.js'),
  events: () => import('./commands/events.js'),
  serve: () => import('./commands/serve.js'),
  pause: () => import('./commands/pause.js'),
  resume: () => import('./commands/resume.js'),
  'install-cron': () => import('./commands/install-cron.js'),
  'uninstall-cron': () => import('./commands/uninstall-cron.js'),
  notify: () => import('./commands/notify.js'),
  doctor: () => import('./commands/doctor.js'),
} satisfies Record<string, () => Promise<{ command: Command }>>;
type Name = keyof typeof LOAD;

// Every command's summary (the compiler holds this table and LOAD to the same names), in the
// order the usage text lists them.
const COMMANDS: Record<Name, string> = {
  check: 'one supervision run (what cron runs every 30 s)',
  probe: 'one health probe of the gateway; no lock, no side effects',
  status: 'saved state plus one live probe',
  events: 'the event log, human-readable',
  serve:
    'HTTP endpoint for uptime monitors and Prometheus: /health, /status, /metrics (--all: every watchdog)',
  pause: 'maintenance window: probe and log, never kill or restart',
  resume: 'end a pause',
  'install-cron': 'add the check to your crontab (every 30 s)',
  'uninstall-cron': 'remove it',
  notify: "'notify test': one test alert through every channel and the heartbeat",
  doctor: 'check the whole set-up (cron, launcher, gateway, start, alerts, disk): ok/warn/fail',
};
const isName = (name: string): name is Name => Object.hasOwn(LOAD, name);
const USAGE = usage(COMMANDS);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = hoistGlobalFlags(argv);
  if (name === '--version' || name === '-V') {
    out(`${packageVersion()}\n`);
    return 0;
  }
  if (name === undefined) {
    // No command is a usage mistake: usage goes to stderr, exit 2.
    err(`${USAGE}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    out(`${USAGE}\n`);
    return 0;
  }
  if (!isName(name)) {
    err(
      `openclaw-watchdog: unknown command ${JSON.stringify(name)}\nsee openclaw-watchdog --help\n`,
    );
    return 2;
  }
  // One line on an older Node than OpenClaw's: it runs degraded (node-version.ts says why).
  const old = nodeTooOld(process.version);
  if (old) err(`${old}\n`);
  const { command }: { command: Command } = await LOAD[name]();
  const sub = command.subcommands && rest[0] && !rest[0].startsWith('-') ? rest[0] : undefined;
  let flags: Flags;
  try {
    flags = parseFlags(name, sub === undefined ? rest : rest.slice(1), command.options);
  } catch (error) {
    // One line (cron mails it) and where the options are, not the whole usage.
    err(`openclaw-watchdog ${errorMessage(error)}\nsee openclaw-watchdog ${name} --help\n`);
    return 2;
  }
  if (flags.help) {
    out(`${command.help}\n\n${COMMON_HELP}\n`);
    return 0;
  }
  if (command.subcommands && (sub === undefined || !command.subcommands.includes(sub))) {
    const got = sub === undefined ? 'none' : JSON.stringify(sub);
    err(
      `openclaw-watchdog ${name}: expected a subcommand (${command.subcommands.join(', ')}), got ${got}\nsee openclaw-watchdog ${name} --help\n`,
    );
    return 2;
  }
  return command.run(flags, sub);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isUserError(error)) {
      err(`openclaw-watchdog: ${redactText(errorMessage(error))}\n`);
      process.exitCode = 2;
      return;
    }
    err(
      `openclaw-watchdog: internal error: ${redactText(error instanceof Error && error.stack ? error.stack : String(error))}\n`,
    );
    process.exitCode = 1;
  },
);
