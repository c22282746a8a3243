import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Where things live, resolved the way OpenClaw 2026.9 resolves them. */
export interface Paths {
  home: string;
  profile: string | null;
  stateDir: string;
  openclawConfig: string;
  dotEnv: string;
  watchdogDir: string;
  watchdogConfig: string;
  /** True when the user named the watchdog config (flag or env): then it must exist. */
  watchdogConfigExplicit: boolean;
}

export interface PathFlags {
  stateDir?: string;
  profile?: string;
  config?: string;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * A directory named by an environment variable: unset is fine, set but empty or relative is a
 * mistake (a relative one would follow the working directory, which cron does not promise).
 */
function envDir(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (value === '')
    throw new UsageError(`${name} is set but empty: unset it or give an absolute path`);
  if (!isAbsolute(value))
    throw new UsageError(`${name}: expected an absolute path, got ${JSON.stringify(value)}`);
  return value;
}

/** --state-dir: empty is a mistake (it used to mean the current directory); relative is made absolute. */
function flagDir(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '') throw new UsageError('--state-dir: empty; give a directory');
  return resolve(value);
}

export function resolvePaths(flags: PathFlags, env: NodeJS.ProcessEnv): Paths {
  const home = envDir(env, 'OPENCLAW_HOME') ?? envDir(env, 'HOME') ?? homedir();
  const profile = resolveProfile(flags.profile ?? env.OPENCLAW_PROFILE);
  let stateDir = flagDir(flags.stateDir) ?? envDir(env, 'OPENCLAW_STATE_DIR');
  if (!stateDir) {
    if (profile) stateDir = join(home, `.openclaw-${profile}`);
    else {
      stateDir = join(home, '.openclaw');
      const legacy = join(home, '.clawdbot');
      if (!existsSync(stateDir) && existsSync(legacy)) stateDir = legacy;
    }
  }
  let openclawConfig = env.OPENCLAW_CONFIG_PATH || join(stateDir, 'openclaw.json');
  if (!env.OPENCLAW_CONFIG_PATH && !existsSync(openclawConfig)) {
    const legacy = join(stateDir, 'clawdbot.json');
    if (existsSync(legacy)) openclawConfig = legacy;
  }
  const watchdogDir = join(stateDir, 'watchdog');
  const named = flags.config || env.OPENCLAW_WATCHDOG_CONFIG;
  return {
    home,
    profile,
    stateDir,
    openclawConfig,
    dotEnv: join(stateDir, '.env'),
    watchdogDir,
    watchdogConfig: named || join(watchdogDir, 'config.json'),
    watchdogConfigExplicit: Boolean(named),
  };
}

function resolveProfile(name: string | undefined): string | null {
  if (name === undefined || name === '' || name === 'default') return null;
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(
      `--profile: invalid profile name ${JSON.stringify(name)} (letters, digits, _ and -, up to 64)`,
    );
  }
  return name;
}

/** OpenClaw's port for a named profile: 20000 + FNV-1a-32(name) mod 40000. */
export function profilePort(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 20000 + (hash % 40000);
}

/** Parses OPENCLAW_GATEWAY_PORT as OpenClaw does: `N`, `host:N` or `[v6]:N`; anything else is ignored. */
export function parsePortEnv(value: string | undefined): number | null {
  if (!value) return null;
  const match = /^(?:(?:\[[^\]]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(value.trim());
  if (!match) return null;
  const port = Number(match[1]);
  return port >= 1 && port <= 65535 ? port : null;
}
