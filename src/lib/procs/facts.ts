import { readFileSync } from 'node:fs';
import type { Config } from '../config/load.js';
import {
  attribute,
  parseEnviron,
  type Attribution,
  type GatewayIdentity,
  type ProcFacts,
} from './attribute.js';
import { fdLinks } from './table.js';

/** This watchdog's gateway, as attribution needs it. */
export function identityOf(config: Config): GatewayIdentity {
  return {
    port: config.port,
    stateDir: config.paths.stateDir,
    profile: config.paths.profile,
    configPath: config.paths.openclawConfig,
  };
}

/** A process's argv and environment from /proc; read only for gateway-titled candidates. */
export function readFacts(pid: number): ProcFacts {
  const read = (file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'latin1');
    } catch {
      return null;
    }
  };
  const cmdline = read('cmdline') ?? '';
  const environ = read('environ');
  return {
    args: cmdline.split('\0').filter(Boolean),
    env: environ === null ? null : parseEnviron(environ),
    openStateDirs: openStateDirs(pid),
  };
}

const STATE_DB = /^(\/.+)\/state\/openclaw\.sqlite$/;

/** State dirs whose database (`<dir>/state/openclaw.sqlite`) the process holds open. */
function openStateDirs(pid: number): string[] {
  const dirs = new Set<string>();
  for (const link of fdLinks(pid) ?? []) {
    const match = STATE_DB.exec(link);
    if (match) dirs.add(match[1]!);
  }
  return [...dirs];
}

/** Whose gateway is this pid? (Linux; elsewhere unknown.) */
export function attributePid(pid: number, me: GatewayIdentity): Attribution {
  if (process.platform !== 'linux') return 'unknown';
  return attribute(readFacts(pid), me);
}
