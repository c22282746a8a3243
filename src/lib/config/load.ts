import { readFileSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { ConfigError, errorCode, errorMessage } from '../errors.js';
import { parseJson5 } from './json5.js';
import { lockPort } from './lock-port.js';
import { readDotEnv, readOpenclawConfig } from './openclaw-config.js';
import { parsePortEnv, profilePort, resolvePaths, type PathFlags, type Paths } from './paths.js';
import { defaultSettings, type Settings } from './schema.js';
import { validateSettings } from './validate.js';

export type PortSource =
  'watchdog-config' | 'env' | 'openclaw-config' | 'gateway-lock' | 'profile' | 'default';

/** Everything a command needs to know, resolved once. `token` is a secret: never print or log it. */
export interface Config {
  paths: Paths;
  settings: Settings;
  port: number;
  portSource: PortSource;
  host: string;
  token: string | null;
  /** OpenClaw's gateway password (openclaw.json or OPENCLAW_GATEWAY_PASSWORD): only ever redacted. */
  password: string | null;
  authMode: string | null;
  /** `gateway.bind` from openclaw.json, when the user chose one. */
  bind: string | null;
  /** The dir of OpenClaw's file log (openclaw.json `logging.file`), when set; else /tmp/openclaw. */
  logDir: string | null;
  /** `logging.file` from openclaw.json, when set (see logs/openclaw-log.ts). */
  openclawLogFile?: string | null;
  /** process env with <state dir>/.env underneath it (process env wins, as OpenClaw does). */
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_PORT = 18789;

/** `settings`: use these instead of reading the watchdog's config (doctor, after a config error). */
export function loadConfig(
  flags: PathFlags,
  processEnv: NodeJS.ProcessEnv,
  settings_?: Settings,
): Config {
  const paths = resolvePaths(flags, processEnv);
  const env = { ...readDotEnv(paths.dotEnv), ...processEnv };
  const settings = settings_ ?? readSettings(paths);
  const openclaw = readOpenclawConfig(paths.openclawConfig, env);

  let port: number = DEFAULT_PORT;
  let portSource: PortSource = 'default';
  const envPort = parsePortEnv(env.OPENCLAW_GATEWAY_PORT);
  let locked: { port: number } | null = null;
  if (settings.gateway.port !== null)
    [port, portSource] = [settings.gateway.port, 'watchdog-config'];
  else if (envPort !== null) [port, portSource] = [envPort, 'env'];
  else if (openclaw.port !== null) [port, portSource] = [openclaw.port, 'openclaw-config'];
  // A gateway started with --port only: its lock in this state dir names the port (lock-port.ts).
  else if ((locked = lockPort(paths.stateDir)) !== null)
    [port, portSource] = [locked.port, 'gateway-lock'];
  else if (paths.profile) [port, portSource] = [profilePort(paths.profile), 'profile'];

  const token = settings.gateway.token ?? openclaw.token ?? (env.OPENCLAW_GATEWAY_TOKEN || null);
  return {
    paths,
    settings,
    port,
    portSource,
    host: settings.gateway.host,
    token,
    password: openclaw.password ?? (env.OPENCLAW_GATEWAY_PASSWORD || null),
    authMode: openclaw.authMode,
    bind: openclaw.bind,
    logDir: openclaw.logFile && isAbsolute(openclaw.logFile) ? dirname(openclaw.logFile) : null,
    openclawLogFile: openclaw.logFile,
    env,
  };
}

function readSettings(paths: Paths): Settings {
  let text: string;
  try {
    text = readFileSync(paths.watchdogConfig, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && !paths.watchdogConfigExplicit) return defaultSettings();
    const why = code === 'ENOENT' ? 'no such file' : errorMessage(error);
    throw new ConfigError(paths.watchdogConfig, '', `cannot read: ${why}`, { cause: error });
  }
  return validateSettings(parseJson5(text, paths.watchdogConfig), paths.watchdogConfig);
}
