import { out, err } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { pathFlags, type Flags } from '../lib/cli/args.js';
import { loadConfig, type Config } from '../lib/config/load.js';
import type { CheckReport } from '../lib/check-report.js';
import { runCheck } from '../check.js';
import { resolvePaths } from '../lib/config/paths.js';
import { ConfigError } from '../lib/errors.js';
import { appendEvents } from '../lib/store/events.js';
import { eventLogOptions, watchdogFiles } from '../lib/files.js';
import { redactDeep, redactText } from '../lib/redact.js';

/** Loads the configuration; a config mistake is also recorded as `config_error` in the event log. */
function loadConfigLogged(flags: Flags) {
  try {
    return loadConfig(pathFlags(flags), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      try {
        const paths = resolvePaths(pathFlags(flags), process.env);
        const event = {
          level: 'error' as const,
          event: 'config_error',
          file: error.file,
          key: error.keyPath,
          message: error.detail,
        };
        appendEvents(watchdogFiles({ paths }).events, [event], Date.now(), eventLogOptions(null));
      } catch {
        // the event log is best effort here; the error itself is printed by the CLI
      }
    }
    throw error;
  }
}

/** For a dry run that would restart a gateway that still serves: whether a start is possible
 * (the same proof a real run makes before it stops anything; it spawns no gateway). */
async function proof(config: Config, report: CheckReport): Promise<string | undefined> {
  const graceful = report.actions.find((a) => a.type === 'graceful-restart');
  if (graceful?.type !== 'graceful-restart' || graceful.inPlaceOnly) return undefined;
  const { proveStart } = await import('../lib/restart/can-start.js');
  const p = await proveStart(config, graceful.target.pid);
  return p.ok
    ? `start: possible (${p.method}: ${p.proof})`
    : `start: impossible, so nothing would be stopped: ${p.error}; fix: ${p.fix}`;
}

export const command: Command = {
  help: `Usage: openclaw-watchdog check [--dry-run] [--json] [--verbose]

One supervision run, what cron runs every 30 s: takes the check lock, probes the gateway, decides
(healthy, starting, unresponsive, hung, down, port conflict, stopped by the user), restarts with
backoff, records state and events under <state dir>/watchdog/. A healthy run prints nothing.
Exit 0 healthy, starting or stopped by the user, 1 not healthy, 2 usage or config error, 75 another
check is running.

Options:
  --dry-run         observe and decide, print what it would do, change nothing`,
  options: { 'dry-run': { type: 'boolean' } },
  async run(flags: Flags) {
    const verbose = Boolean(flags.verbose);
    const config = loadConfigLogged(flags);
    const secrets = eventLogOptions(config).secrets;
    const say = (line: string) => {
      if (verbose) err(`${redactText(line, secrets)}\n`);
    };
    const dryRun = Boolean(flags['dry-run']);
    // Everything printed is redacted first (cron mails stderr; --json may be stored anywhere).
    const report = redactDeep(await runCheck(config, { dryRun, say }), secrets);
    for (const line of report.recordFailed ?? [])
      err(`openclaw-watchdog: could not record ${line}\n`);
    if (flags.json) {
      out(`${JSON.stringify(report)}\n`);
    } else if (dryRun) {
      const { dryRunText } = await import('../lib/cli/dry-run.js');
      out(redactText(dryRunText(report, await proof(config, report)), secrets));
    } else if (report.events.length || report.restart || report.stop) {
      // Cron mails any output: a line only when the check did something, or could not (check-line.ts).
      const { checkLine } = await import('../lib/cli/check-line.js');
      const line = checkLine(report);
      if (line) err(`${line}\n`);
    }
    return report.exitCode;
  },
};
