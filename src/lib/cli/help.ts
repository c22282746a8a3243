export const COMMON_HELP = `Common options:
  --state-dir DIR   OpenClaw state dir (default: $OPENCLAW_STATE_DIR, else ~/.openclaw)
  --profile NAME    OpenClaw profile: state dir ~/.openclaw-NAME and the profile's port
  --config FILE     watchdog settings (default: $OPENCLAW_WATCHDOG_CONFIG, else <state dir>/watchdog/config.json)
  --json            one JSON object on stdout
  -v, --verbose     narrate what happens (stderr)
  -h, --help        this help`;

export const USAGE = `Usage: openclaw-watchdog <command> [options]

Keeps an OpenClaw gateway alive: probes it, restarts it with backoff, reaps its orphaned helpers.

Commands:
  check          one supervision run (what cron runs every 30 s)
  probe          one health probe of the gateway; no lock, no side effects
  status         saved state plus one live probe
  events         the event log, human-readable
  serve          HTTP endpoint for uptime monitors: /health, /status, /metrics
  pause          maintenance window: probe and log, never kill or restart
  resume         end a pause
  install-cron   add the check to your crontab (every 30 s)
  uninstall-cron remove it

Run 'openclaw-watchdog <command> --help' for a command's options.
  --version      print the version`;
