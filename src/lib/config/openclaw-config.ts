import { NotRegularFileError, readRegular } from '../store/regular-file.js';
import { parseEnv } from 'node:util';
import { ConfigError, errorCode, errorMessage, showValue } from '../errors.js';
import { parseJson5 } from './json5.js';

/** The few gateway settings the watchdog reads from OpenClaw's own config. Read-only, always. */
export interface OpenclawConfig {
  found: boolean;
  port: number | null;
  token: string | null;
  /** `gateway.auth.password`: a secret, like the token. */
  password: string | null;
  authMode: string | null;
  bind: string | null;
  /** `logging.file`: where the gateway writes its file log instead of the dated default. */
  logFile: string | null;
}

const EMPTY: OpenclawConfig = {
  found: false,
  port: null,
  token: null,
  password: null,
  authMode: null,
  bind: null,
  logFile: null,
};

export function readOpenclawConfig(file: string, env: NodeJS.ProcessEnv): OpenclawConfig {
  let text: string;
  try {
    text = readConfigText(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return EMPTY;
    throw unreadableConfig(file, error);
  }
  const raw = parseJson5(text, file) as {
    gateway?: Record<string, unknown>;
    logging?: Record<string, unknown>;
  } | null;
  const logging = raw && typeof raw === 'object' ? raw.logging : undefined;
  const logFile =
    logging &&
    typeof logging === 'object' &&
    typeof logging.file === 'string' &&
    logging.file.trim()
      ? logging.file.trim()
      : null;
  const gateway = raw && typeof raw === 'object' ? raw.gateway : undefined;
  if (!gateway || typeof gateway !== 'object') return { ...EMPTY, found: true, logFile };
  const port = gateway.port;
  if (
    port !== undefined &&
    (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
  ) {
    throw new ConfigError(file, 'gateway.port', `must be a port number, got ${showValue(port)}`);
  }
  const auth = (gateway.auth ?? {}) as Record<string, unknown>;
  return {
    ...EMPTY,
    found: true,
    port: (port as number | undefined) ?? null,
    token: typeof auth.token === 'string' && auth.token ? substituteEnv(auth.token, env) : null,
    password:
      typeof auth.password === 'string' && auth.password ? substituteEnv(auth.password, env) : null,
    authMode: typeof auth.mode === 'string' ? auth.mode : null,
    bind: typeof gateway.bind === 'string' ? gateway.bind : null,
    logFile,
  };
}

/** `${VAR}` references in a config string, resolved from the environment. */
function substituteEnv(value: string, env: NodeJS.ProcessEnv): string | null {
  const out = value.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => env[name] ?? '');
  return out || null;
}

/**
 * `<state dir>/.env`, which OpenClaw loads as extra environment. Missing or unreadable: empty.
 * Something other than a regular file at its name (a FIFO would block every command): a config
 * error naming it.
 */
export function readDotEnv(file: string): Record<string, string> {
  let text: string;
  try {
    text = readConfigText(file);
  } catch (error) {
    if (error instanceof NotRegularFileError) throw unreadableConfig(file, error);
    return {};
  }
  return parseEnv(text) as Record<string, string>;
}

/** A config file is a few KiB: read at most this much (a huge one fails to parse, one line). */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/**
 * A user's config file (openclaw.json, .env, the watchdog's config.json): never blocks on a FIFO
 * or device at its name (O_NONBLOCK, a regular file only, bounded); a symlink is followed (dotfile
 * managers link them). Throws NotRegularFileError, or the open's error (ENOENT...).
 */
export function readConfigText(file: string): string {
  return readRegular(file, MAX_CONFIG_BYTES, { follow: true });
}

/** The one-line config error for a config file that cannot be read (exit 2, no stack). */
export function unreadableConfig(file: string, error: unknown): ConfigError {
  const why =
    error instanceof NotRegularFileError
      ? 'not a regular file (a FIFO, socket, device or directory): remove it or replace it with the file'
      : `cannot read: ${errorMessage(error)}`;
  return new ConfigError(file, '', why, { cause: error });
}
