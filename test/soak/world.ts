import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPortOwner } from '../../src/lib/procs/port-owner.js';
import { readProc } from '../../src/lib/procs/table.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FAKE_GATEWAY = join(ROOT, 'test', 'fixtures', 'fake-gateway.mjs');
export const ORPHAN_MAKER = join(ROOT, 'test', 'fixtures', 'orphan-maker.mjs');
/** What cron gives a check, plus the directory of the node it runs (a launcher's absolute path). */
export const NODE = process.execPath;
export const CRON_PATH = `${dirname(NODE)}:/usr/bin:/bin`;

/** A seeded PRNG (mulberry32): the same seed, the same sequence of faults. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A port the kernel just handed out on loopback (free a moment ago). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The soak's settings: every timer short, each one a documented config key. */
export function soakSettings(port: number, stateDir: string, flags: string[] = []) {
  return {
    probe: { timeoutMs: 800, hungAfterSec: 2, startupGraceSec: 3 },
    restart: {
      command: [NODE, FAKE_GATEWAY, '--port', String(port), '--state-dir', stateDir, ...flags],
      verifyTimeoutSec: 8,
      stopTimeoutSec: 1,
      baseDelaySec: 1,
      maxDelaySec: 4,
      stableAfterSec: 3,
    },
    orphans: { minAgeSec: 2, killTimeoutSec: 1 },
    lock: { staleSec: 3 },
    events: { maxBytes: 32 * 1024, maxFiles: 3 },
  };
}
export type SoakSettings = ReturnType<typeof soakSettings>;

export interface CheckEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CheckRun {
  child: ChildProcess;
  pid: number;
  done: Promise<CheckEnd>;
  /** What the harness did to it: its end is judged accordingly. */
  sent: NodeJS.Signals[];
  /** The command (`check`, `pause`, `resume`). */
  command: string;
}

/**
 * One soak's world: a private HOME (state dir `~/.openclaw`, port from its openclaw.json), every
 * process started carrying the soak's mark in its environment (gateways and helpers inherit it),
 * so that the end kills each one by pid, even those reparented to init.
 */
export class World {
  readonly mark = randomUUID();
  readonly home = mkdtempSync(join(tmpdir(), 'ocwd-soak-'));
  readonly stateDir = join(this.home, '.openclaw');
  readonly dir = join(this.stateDir, 'watchdog');
  /** Another state dir of the same user and HOME (its gateways and helpers are decoys). */
  readonly otherDir = join(this.home, 'other-state');
  /** Pids it started, with their start time: pids wrap (pid_max 32768 here), and a pid it started
   * long ago may name another's process now (another soak's decoy: all run as root). */
  private readonly tracked = new Map<number, number | null>();
  /** Where the processes the soak starts write their stderr (one file each, by start order). */
  private readonly errDir = join(this.home, 'started');
  private startedCount = 0;
  /** How the processes the soak started (its children) ended: a signal name or `exit N`. */
  readonly exits = new Map<number, string>();
  settings: SoakSettings;

  constructor(
    readonly port: number,
    readonly cron: boolean,
  ) {
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(this.otherDir, { recursive: true });
    mkdirSync(this.errDir, { recursive: true });
    const logging = { file: join(this.home, 'openclaw-file.log') };
    writeFileSync(
      join(this.stateDir, 'openclaw.json'),
      JSON.stringify({ gateway: { port }, logging }),
    );
    this.settings = soakSettings(port, this.stateDir);
    this.configure(this.settings);
  }

  configure(settings: SoakSettings): void {
    this.settings = settings;
    writeFileSync(join(this.dir, 'config.json'), JSON.stringify(settings, null, 2));
  }

  /** cron's environment: HOME and PATH only (`env -i`), and the soak's mark. */
  cronEnv(): string[] {
    return [`HOME=${this.home}`, `PATH=${CRON_PATH}`, `OCWD_SOAK_MARK=${this.mark}`];
  }

  /** The environment of processes the soak starts itself (decoys, gateways by hand). */
  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      HOME: this.home,
      PATH: CRON_PATH,
      OCWD_SOAK_MARK: this.mark,
    };
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
    return env;
  }

  /** The built CLI as cron runs it: `env -i HOME=… PATH=… node dist/cli.js <args>`. */
  cli(args: string[], via?: string[]): CheckRun {
    const argv = ['-i', ...this.cronEnv(), NODE, CLI, ...args];
    // In a session of its own, as cron runs a job (it calls setsid before the job's shell). In the
    // soak's process group, a SIGSTOPped check was hung up by the kernel (SIGHUP, then SIGCONT)
    // when that group became orphaned: what a terminal's job sees, never a cron job (seed 5).
    const options: SpawnOptions = { stdio: ['ignore', 'pipe', 'pipe'], detached: true };
    const child = via
      ? spawn(via[0]!, [...via.slice(1), ['env', ...argv].map(shellQuote).join(' ')], options)
      : spawn('env', argv, options);
    const pid = this.track(child.pid);
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<CheckEnd>((resolve) =>
      child.on('close', (code, signal) =>
        resolve({ code, signal, stdout, stderr, ms: performance.now() - started }),
      ),
    );
    return { child, pid, done, sent: [], command: args[0] ?? '' };
  }

  /** A command line that repeats `cli(args)` by hand. */
  cliCommand(args: string[]): string {
    return ['env', '-i', ...this.cronEnv(), NODE, CLI, ...args].map(shellQuote).join(' ');
  }

  /** Starts a process (argv, never a shell), detached, tracked by pid. */
  start(
    argv: string[],
    env: NodeJS.ProcessEnv,
    options: { uid?: number; gid?: number } = {},
  ): number {
    // Its stderr kept: a decoy that dies of its own error says which (an uncaught ECONNRESET).
    const errFile = join(this.errDir, `${++this.startedCount}.err`);
    const errFd = openSync(errFile, 'a', 0o600);
    const child = spawn(argv[0]!, argv.slice(1), {
      env,
      stdio: ['ignore', 'ignore', errFd],
      detached: true,
      ...options,
    });
    closeSync(errFd);
    child.on('error', () => {});
    // How it ended, if it did while the soak runs: a decoy that died of its own (an uncaught
    // error, exit 1) is the soak's fault, one killed by a signal may be the watchdog's.
    child.on('exit', (code, signal) =>
      this.exits.set(child.pid!, signal ?? `exit ${code}${lastError(errFile)}`),
    );
    child.unref();
    return this.track(child.pid);
  }

  track(pid: number | undefined): number {
    if (pid === undefined) throw new Error('process did not start');
    this.tracked.set(pid, readProc(pid)?.startTicks ?? null);
    return pid;
  }

  /** Gateway-titled processes of our state dir (OPENCLAW_STATE_DIR names it), alive. */
  ourGateways(): number[] {
    const needle = `OPENCLAW_STATE_DIR=${this.stateDir}`;
    return this.marked().filter((pid) => {
      const p = readProc(pid);
      if (!p || !(p.title === 'openclaw-gateway' || p.title === 'openclaw')) return false;
      return environ(pid)?.includes(needle) === true;
    });
  }

  /** The pid listening on our port (null: nothing, or not visible). */
  portOwner(): number | null {
    return findPortOwner(this.port).pid;
  }

  /** Pids carrying the soak's mark. */
  marked(): number[] {
    const needle = `OCWD_SOAK_MARK=${this.mark}`;
    const out: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      if (environ(Number(entry))?.includes(needle)) out.push(Number(entry));
    }
    return out;
  }

  /** Every process the soak started or that carries its mark: SIGCONT + SIGKILL, by pid. */
  killAll(): number {
    // Still the process it started (start time), or carrying its mark (read just now).
    const same = [...this.tracked].filter(
      ([pid, t]) => t !== null && readProc(pid)?.startTicks === t,
    );
    const pids = new Set([...same.map(([pid]) => pid), ...this.marked()]);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    return pids.size;
  }

  removeHome(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** The last error line a process wrote on stderr (`: Error: read ECONNRESET`), or ''. */
function lastError(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    const error = lines.find((l) => /^\w*Error\b/.test(l));
    return error ? `: ${error.trim().slice(0, 200)}` : '';
  } catch {
    return '';
  }
}

/** A process's environment entries, or null when it cannot be read. */
export function environ(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  } catch {
    return null;
  }
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
