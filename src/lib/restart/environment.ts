/** Variables that make OpenClaw believe systemd supervises it (then it exits 0 on a restart request). */
export const SUPERVISOR_MARKERS = [
  'INVOCATION_ID',
  'JOURNAL_STREAM',
  'SYSTEMD_EXEC_PID',
  'OPENCLAW_SYSTEMD_UNIT',
];

/** The environment for a gateway the watchdog spawns: supervisor markers stripped, PATH extended. */
export function gatewayEnv(env: NodeJS.ProcessEnv, pathFirst: string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
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
