import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Config } from '../config/load.js';
import { isGoneState, parseStat } from './proc-stat.js';
import {
  attribute,
  parseEnviron,
  type Attribution,
  type GatewayIdentity,
  type ProcFacts,
  type RealPath,
} from './attribute.js';
import { listenPortsFn } from './port-owner.js';
import { fdLinks } from './table.js';

/** This watchdog's gateway, as attribution needs it. */
export function identityOf(config: Config): GatewayIdentity {
  return {
    port: config.port,
    host: config.host,
    stateDir: config.paths.stateDir,
    profile: config.paths.profile,
    configPath: config.paths.openclawConfig,
  };
}

/** A process's argv, environment, open state databases and listening ports, from /proc. */
export function readFacts(
  pid: number,
  listenPorts: (pid: number) => number[] | null = listenPortsFn(),
): ProcFacts {
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
    listenPorts: listenPorts(pid),
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

/**
 * realpath, also for a path that does not exist (yet): its longest existing prefix is resolved,
 * the rest appended. Cached: each path is resolved once per run.
 */
export function realPathFn(): RealPath {
  const cache = new Map<string, string>();
  const real = (path: string): string => {
    const abs = resolve(path);
    let out = cache.get(abs);
    if (out === undefined) {
      try {
        out = realpathSync(abs);
      } catch {
        const parent = dirname(abs);
        out = parent === abs ? abs : join(real(parent), basename(abs));
      }
      cache.set(abs, out);
    }
    return out;
  };
  return real;
}

/**
 * Whose gateway (or gateway helper) is this pid? One attributor per run: the /proc/net tables and
 * realpaths are read once, and only for the pids asked about. (Linux; elsewhere unknown.) `ports`:
 * where a pid listens (the default reads the tables; observe.ts passes lock-listener.ts's).
 */
export function attributorFor(
  me: GatewayIdentity,
  ports: (pid: number) => number[] | null = listenPortsFn(undefined, me.host),
): Attributor {
  if (process.platform !== 'linux')
    return { whose: () => 'unknown', listed: () => 'unknown', holdsOurState: () => false };
  const real = realPathFn();
  const ourDir = real(me.stateDir);
  const whose = (pid: number) => attribute(readFacts(pid, ports), me, real);
  return {
    whose,
    listed: (p) => {
      const w = whose(p.pid);
      return goneOrExiting(p.pid, p.startTicks) ? null : w; // checked after the facts are read
    },
    holdsOurState: (pid) => openStateDirs(pid).some((d) => real(d) === ourDir),
  };
}

export interface Attributor {
  /** Whose is this process, by its port, arguments, environment and open state database. */
  whose: (pid: number) => Attribution;
  /**
   * The same for a process seen in a listing, or null when it is exiting or exited since: a
   * gateway killed around the listing (other runs on the host do it all day) has no readable
   * environment or fds and would read as `unknown`, a young gateway to wait for.
   */
  listed: (p: { pid: number; startTicks: number }) => Attribution | null;
  /** Does it hold this state dir's database open (positive evidence, whatever its title)? */
  holdsOurState: (pid: number) => boolean;
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

/** Gone, another process by now (start time), a zombie, or exiting (PF_EXITING). */
export function goneOrExiting(pid: number, startTicks: number): boolean {
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
