import { readFileSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { isGoneState, parseStat } from './proc-stat.js';
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

const PF_EXITING = 0x4; // include/linux/sched.h

/**
 * Is this /proc/<pid>/stat text a process that is exiting (PF_EXITING in its flags, field 9)? A
 * killed gateway stays R or D for seconds while its ~800 MB are torn down, its environment and
 * fds already unreadable; a zombie has the flag too. Pure.
 */
export function isExitingStat(stat: string): boolean {
  const flags = Number(
    stat
      .slice(stat.lastIndexOf(')') + 2)
      .trim()
      .split(/\s+/)[6],
  );
  return Number.isFinite(flags) && (flags & PF_EXITING) !== 0;
}

function goneOrExiting(pid: number, startTicks: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  const fields = parseStat(stat);
  if (!fields || isGoneState(fields.state) || fields.startTicks !== startTicks) return true;
  return isExitingStat(stat);
}

/**
 * Whose gateway is a process seen in a listing, or null when it is exiting or exited since: a
 * gateway killed around the listing (other runs on the host do it all day) has no readable
 * environment or fds and would read as `unknown`, a young gateway to wait for. Checked after the
 * facts are read.
 */
export function attributeListed(
  p: { pid: number; startTicks: number },
  me: GatewayIdentity,
): Attribution | null {
  const whose = attributePid(p.pid, me);
  return goneOrExiting(p.pid, p.startTicks) ? null : whose;
}
