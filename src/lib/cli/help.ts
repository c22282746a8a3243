export const COMMON_HELP = `Common options:
  --state-dir DIR   OpenClaw state dir (default: $OPENCLAW_STATE_DIR, else ~/.openclaw)
  --profile NAME    OpenClaw profile: state dir ~/.openclaw-NAME and the profile's port
  --config FILE     watchdog settings (default: $OPENCLAW_WATCHDOG_CONFIG, else <state dir>/watchdog/config.json)
  --json            one JSON object on stdout
  -v, --verbose     narrate what happens (stderr)
  -h, --help        this help`;

/** The usage text: one line per command of the registry (name → summary), in its order. */
export function usage(commands: Record<string, string>): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length)) + 1;
  const list = names.map((n) => `  ${n.padEnd(width)}${commands[n]}`).join('\n');
  return `Usage: openclaw-watchdog <command> [options]

Keeps an OpenClaw gateway alive: probes it, restarts it with backoff, reaps its orphaned helpers.

Commands:
${list}

Run 'openclaw-watchdog <command> --help' for a command's options.
  --version      print the version`;
}
