import { resolve } from 'node:path';

/** Variables that make OpenClaw believe systemd supervises it (then it exits 0 on a restart request). */
export const SUPERVISOR_MARKERS = [
  'INVOCATION_ID',
  'JOURNAL_STREAM',
  'SYSTEMD_EXEC_PID',
  'OPENCLAW_SYSTEMD_UNIT',
];

/** Where the gateway finds its files: this watchdog's profile, state dir and config. */
export interface GatewayPaths {
  profile: string | null;
  stateDir: string;
  openclawConfig: string;
}

/**
 * The variables that make a gateway use this watchdog's state dir, config and profile. They are
 * what `openclaw --profile NAME` sets (OpenClaw 2026.9); the variable
 * OPENCLAW_PROFILE alone moves neither the state dir nor the config, so all three are set.
 * Paths are made absolute: the gateway runs in another working directory.
 */
export function openclawPathEnv(paths: GatewayPaths): Record<string, string> {
  return {
    OPENCLAW_STATE_DIR: resolve(paths.stateDir),
    OPENCLAW_CONFIG_PATH: resolve(paths.openclawConfig),
    ...(paths.profile ? { OPENCLAW_PROFILE: paths.profile } : {}),
  };
}

/**
 * OPENCLAW_SUPERVISOR_MODE is never set by the watchdog (docs/openclaw-lifecycle.md, "Supervisor
 * mode"); a value the user set passes through. With `external`, OpenClaw 2026.9.6 (dist
 * cli/gateway-lifecycle.runtime.js resolveGatewayRestartDecision, run-*.mjs) turns every restart
 * (SIGUSR2, gateway.restart.request, `openclaw gateway restart`) into an exit 0 that waits for the
 * supervisor to start a fresh process and consume a `gateway_restart_handoff` row: under a 30 s
 * cron that is an outage of up to a check interval instead of a 4-5 s in-place restart. It also
 * refuses self-update and auto-update (update-*.mjs, update-startup-*.mjs), hosted stops and
 * `gateway install/start/stop` (gateway-supervision-*.mjs). What it would spare, the automatic
 * `openclaw triage` after a failed start (triage-failure-*.mjs), is not worth those.
 */
export const SUPERVISOR_MODE_ENV = 'OPENCLAW_SUPERVISOR_MODE';

/**
 * The environment for a gateway the watchdog spawns: supervisor markers stripped, PATH extended,
 * and, given `paths`, pointed at this watchdog's state dir / config / profile.
 */
export function gatewayEnv(
  env: NodeJS.ProcessEnv,
  pathFirst: string[],
  paths?: GatewayPaths,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ...(paths ? openclawPathEnv(paths) : {}) };
  for (const name of SUPERVISOR_MARKERS) delete out[name];
  // OPENCLAW_SERVICE_MARKER=openclaw + OPENCLAW_SERVICE_KIND=gateway also means "systemd".
  if (out.OPENCLAW_SERVICE_MARKER === 'openclaw' && out.OPENCLAW_SERVICE_KIND === 'gateway') {
    delete out.OPENCLAW_SERVICE_MARKER;
    delete out.OPENCLAW_SERVICE_KIND;
  }
  const path = [...pathFirst, ...(env.PATH ?? '/usr/bin:/bin').split(':')].filter(Boolean);
  out.PATH = [...new Set(path)].join(':');
  return out;
}

/** systemctl --user needs these; cron has neither. */
export function systemdUserEnv(env: NodeJS.ProcessEnv, uid: number): NodeJS.ProcessEnv {
  const runtime = env.XDG_RUNTIME_DIR || `/run/user/${uid}`;
  return {
    ...env,
    XDG_RUNTIME_DIR: runtime,
    DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS || `unix:path=${runtime}/bus`,
  };
}
