import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProc } from '../../src/lib/procs/table.js';
import {
  FAKE_GATEWAY,
  NODE,
  ORPHAN_MAKER,
  freePort,
  sleep,
  soakSettings,
  type CheckRun,
  type World,
} from './world.js';

/** A process that must outlive the soak: the watchdog promises never to touch it. */
export interface Decoy {
  pid: number;
  startTicks: number;
  kind: string;
}

/** An orphan of ours: reaped within a bound. */
export interface OurOrphan {
  pid: number;
  startTicks: number;
  bornAt: number;
}

/** What the soak has set up that the invariants need to know. */
export interface Scene {
  decoys: Map<number, Decoy>;
  orphans: OurOrphan[];
  /** A holder on our port that is not ours (another state dir's gateway, a foreign program). */
  portTaken: {
    pid: number;
    startTicks: number;
    kind: 'other_gateway' | 'foreign';
    since: number;
    steps: number;
  } | null;
  /** restart.command crashes at start (exit 1) for that many more steps. */
  crashSteps: number;
  /** A maintenance pause until then (ms, performance clock of the soak). */
  pausedUntil: number;
  /** The steps' commands, for a reproduction. */
  commands: string[];
  /** Checks whose end is judged after they finish. */
  checks: CheckRun[];
}

export function newScene(): Scene {
  return {
    decoys: new Map(),
    orphans: [],
    portTaken: null,
    crashSteps: 0,
    pausedUntil: 0,
    commands: [],
    checks: [],
  };
}

type Fault = (w: World, s: Scene, r: () => number) => Promise<void>;

const startTicks = (pid: number) => readProc(pid)?.startTicks ?? -1;

function decoy(s: Scene, pid: number, kind: string): void {
  s.decoys.set(pid, { pid, startTicks: startTicks(pid), kind });
}

/** The soak signals only what it knows is still that process: with `startTicks`, the start time is
 * checked right before (pids wrap: pid_max is 32768 on small hosts); without, the caller knows. */
function signal(pid: number, sig: NodeJS.Signals, startTicks?: number): boolean {
  if (startTicks !== undefined && readProc(pid)?.startTicks !== startTicks) return false;
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** A signal to a check the soak started, only while it has not ended: once reaped, its pid is free
 * and may name any process later. */
function signalCheck(run: CheckRun, sig: NodeJS.Signals): boolean {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return false;
  return run.child.pid !== undefined && signal(run.child.pid, sig);
}

/** Waits (bounded) until `pid` shows `title` (set when it is ready). */
async function titled(pid: number, title: string): Promise<void> {
  for (let i = 0; i < 100 && readProc(pid)?.title !== title; i++) await sleep(20);
}

/** Waits (bounded) until something listens on the port. */
async function listening(w: World, port: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const { findPortOwner } = await import('../../src/lib/procs/port-owner.js');
    if (findPortOwner(port).pid !== null) return;
    await sleep(20);
  }
}

/** One check, awaited. */
export function check(w: World, s: Scene, args: string[] = []): CheckRun {
  const run = w.cli(['check', ...args]);
  s.commands.push(w.cliCommand(['check', ...args]));
  s.checks.push(run);
  return run;
}

/** Helpers titled `title` whose parent has exited (adopted by init), with this environment: the
 * test fixture's double fork, or a shell's `exec -a` for another user (it cannot run our node). */
async function orphans(
  w: World,
  titles: string[],
  env: NodeJS.ProcessEnv,
  uid?: number,
): Promise<number[]> {
  const argv =
    uid === undefined
      ? [NODE, ORPHAN_MAKER, ...titles]
      : ['/bin/bash', '-c', `exec -a ${titles[0]} sleep 100000 >/dev/null 2>&1 & echo "[$!]"`];
  const child = spawn(argv[0]!, argv.slice(1), {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
    ...(uid !== undefined ? { uid, gid: uid, cwd: '/' } : {}),
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  const pids = JSON.parse(out || '[]') as number[];
  for (const pid of pids) w.track(pid);
  if (uid !== undefined) for (const pid of pids) await titled(pid, titles[0]!);
  return pids;
}

const killOurs = (w: World, s: Scene) => {
  const ours = w.ourGateways();
  for (const pid of ours) signal(pid, 'SIGKILL');
  s.commands.push(`kill -KILL ${ours.join(' ') || '(none of ours alive)'}`);
};

export const FAULTS: Record<string, { weight: number; run: Fault }> = {
  quiet: { weight: 8, run: async (w, s) => void check(w, s) },
  'kill-gateway': {
    weight: 6,
    run: async (w, s) => {
      killOurs(w, s);
      check(w, s);
    },
  },
  'hang-gateway': {
    weight: 3,
    run: async (w, s) => {
      const ours = w.ourGateways();
      for (const pid of ours) signal(pid, 'SIGSTOP');
      s.commands.push(`kill -STOP ${ours.join(' ') || '(none)'}`);
      check(w, s);
    },
  },
  'second-gateway-of-ours': {
    weight: 3,
    run: async (w, s, r) => {
      if (r() < 0.5) killOurs(w, s);
      const argv = [NODE, FAKE_GATEWAY, '--port', String(w.port), '--state-dir', w.stateDir];
      w.start(argv, w.env({ OPENCLAW_STATE_DIR: w.stateDir }));
      s.commands.push(`OPENCLAW_STATE_DIR=${w.stateDir} ${argv.join(' ')} &`);
      check(w, s);
    },
  },
  'other-gateway-elsewhere': {
    weight: 2,
    run: async (w, s, r) => {
      if (s.decoys.size > 24) return void check(w, s);
      const port = await freePort();
      const argv = [NODE, FAKE_GATEWAY, '--port', String(port), '--state-dir', w.otherDir];
      const pid = w.start(argv, w.env({ OPENCLAW_STATE_DIR: w.otherDir }));
      await titled(pid, 'openclaw-gateway');
      decoy(s, pid, 'another state dir’s gateway, its own port');
      // Sometimes hung: another state dir's hung gateway is still never ours to stop.
      if (r() < 0.3) signal(pid, 'SIGSTOP');
      s.commands.push(`OPENCLAW_STATE_DIR=${w.otherDir} ${argv.join(' ')} &`);
      check(w, s);
    },
  },
  'other-gateway-on-our-port': {
    weight: 2,
    run: async (w, s, r) => {
      if (s.portTaken) return void check(w, s);
      killOurs(w, s);
      await sleep(50);
      const argv = [NODE, FAKE_GATEWAY, '--port', String(w.port), '--state-dir', w.otherDir];
      const pid = w.start(argv, w.env({ OPENCLAW_STATE_DIR: w.otherDir }));
      await listening(w, w.port);
      if (w.portOwner() !== pid) {
        // Our watchdog's gateway (or a second one) won the port meanwhile: no conflict to test.
        signal(pid, 'SIGKILL');
        s.commands.push('(the other gateway lost the race for our port)');
        return void check(w, s);
      }
      decoy(s, pid, 'another state dir’s gateway on our port');
      s.portTaken = {
        pid,
        startTicks: startTicks(pid),
        kind: 'other_gateway',
        since: Date.now(),
        steps: 2 + Math.floor(r() * 4),
      };
      s.commands.push(`OPENCLAW_STATE_DIR=${w.otherDir} ${argv.join(' ')} &`);
      check(w, s);
    },
  },
  'foreign-on-our-port': {
    weight: 1,
    run: async (w, s, r) => {
      if (s.portTaken) return void check(w, s);
      killOurs(w, s);
      await sleep(50);
      const code = `require('net').createServer((c) => { c.on('error', () => {}); c.end('HTTP/1.1 404 Not Found\\r\\ncontent-length: 0\\r\\n\\r\\n'); }).listen(${w.port}, '127.0.0.1'); process.title = 'nginx'`;
      const pid = w.start([NODE, '-e', code], w.env());
      await listening(w, w.port);
      if (w.portOwner() !== pid) {
        signal(pid, 'SIGKILL');
        return void check(w, s);
      }
      decoy(s, pid, 'a foreign program on our port');
      s.portTaken = {
        pid,
        startTicks: startTicks(pid),
        kind: 'foreign',
        since: Date.now(),
        steps: 2 + Math.floor(r() * 3),
      };
      s.commands.push(`node -e "${code}" &`);
      check(w, s);
    },
  },
  'foreign-elsewhere': {
    weight: 1,
    run: async (w, s) => {
      if (s.decoys.size > 24) return void check(w, s);
      const port = await freePort();
      const code = `require('net').createServer((c) => c.on('error', () => {})).listen(${port}, '127.0.0.1'); process.title = 'openclaw-gateway'`;
      const pid = w.start([NODE, '-e', code], w.env({ OPENCLAW_STATE_DIR: w.otherDir }));
      await titled(pid, 'openclaw-gateway');
      decoy(s, pid, 'a gateway-titled listener of another state dir');
      s.commands.push(`node -e "${code}" &`);
      check(w, s);
    },
  },
  'orphans-ours': {
    weight: 4,
    run: async (w, s, r) => {
      const n = 1 + Math.floor(r() * 3);
      const titles = Array.from({ length: n }, () => 'openclaw-message');
      const env = w.env({ OPENCLAW_STATE_DIR: w.stateDir });
      for (const pid of await orphans(w, titles, env))
        s.orphans.push({ pid, startTicks: startTicks(pid), bornAt: Date.now() });
      s.commands.push(`OPENCLAW_STATE_DIR=${w.stateDir} node orphan-maker.mjs ${titles.join(' ')}`);
      check(w, s);
    },
  },
  'orphans-not-ours': {
    weight: 2,
    run: async (w, s) => {
      if (s.decoys.size > 24) return void check(w, s);
      const other = await orphans(
        w,
        ['openclaw-message'],
        w.env({ OPENCLAW_STATE_DIR: w.otherDir }),
      );
      const unattributed = await orphans(w, ['openclaw-agent'], w.env());
      const ours = w.env({ OPENCLAW_STATE_DIR: w.stateDir });
      const argsOnly = await orphans(w, ['--plain', 'openclaw-message.log'], ours);
      for (const pid of other) decoy(s, pid, 'another state dir’s orphaned helper');
      for (const pid of unattributed)
        decoy(s, pid, 'an orphaned helper nobody can attribute (HOME only)');
      for (const pid of argsOnly) decoy(s, pid, 'an orphan naming openclaw only in its arguments');
      if (process.getuid?.() === 0)
        for (const pid of await orphans(w, ['openclaw-message'], ours, 65534))
          decoy(s, pid, 'another user’s look-alike orphaned helper');
      s.commands.push(
        'orphans of another state dir, of HOME only, named in arguments, of uid 65534',
      );
      check(w, s);
    },
  },
  'corrupt-state': {
    weight: 2,
    run: async (w, s, r) => {
      const kinds = [
        '{"version":1,"lastCh',
        '{"version":1,"restarts":"many","spawned":42,"orphansNoted":[-1]}',
        '\u0000\u0001garbage',
        '',
        '[]',
        `{"version":1,"slowestBootSec":1e308,"restarts":{"total":-5,"consecutive":1.5}}`,
      ];
      const text = kinds[Math.floor(r() * kinds.length)]!;
      writeFileSync(join(w.dir, 'state.json'), text);
      s.commands.push(`printf %s ${JSON.stringify(text)} > ${join(w.dir, 'state.json')}`);
      check(w, s);
    },
  },
  'corrupt-pause': {
    weight: 1,
    run: async (w, s, r) => {
      const text = r() < 0.5 ? '{"until":' : '{"until":1e300,"reason":7}';
      writeFileSync(join(w.dir, 'pause.json'), text);
      s.commands.push(`printf %s '${text}' > ${join(w.dir, 'pause.json')}`);
      check(w, s);
      await s.checks.at(-1)!.done;
      const resume = w.cli(['resume']);
      s.commands.push(w.cliCommand(['resume']));
      s.checks.push(resume);
    },
  },
  pause: {
    weight: 1,
    run: async (w, s) => {
      const run = w.cli(['pause', '--for', '3s', '--reason', 'soak']);
      s.commands.push(w.cliCommand(['pause', '--for', '3s', '--reason', 'soak']));
      s.checks.push(run);
      await run.done;
      s.pausedUntil = Date.now() + 3000;
      killOurs(w, s);
      check(w, s);
    },
  },
  'concurrent-checks': {
    weight: 3,
    run: async (w, s, r) => {
      if (r() < 0.5) killOurs(w, s);
      for (let i = 0; i < 3; i++) check(w, s);
    },
  },
  'check-killed': {
    weight: 3,
    run: async (w, s, r) => {
      if (r() < 0.6) killOurs(w, s);
      const run = check(w, s);
      const delay = Math.floor(r() * 900);
      await sleep(delay);
      run.sent.push('SIGKILL');
      signalCheck(run, 'SIGKILL');
      s.commands.push(`(after ${delay} ms) kill -KILL <that check>`);
    },
  },
  'check-terminated': {
    weight: 2,
    run: async (w, s, r) => {
      if (r() < 0.6) killOurs(w, s);
      const run = check(w, s);
      const sig: NodeJS.Signals = r() < 0.5 ? 'SIGTERM' : 'SIGINT';
      const delay = Math.floor(r() * 900);
      await sleep(delay);
      run.sent.push(sig);
      signalCheck(run, sig);
      s.commands.push(`(after ${delay} ms) kill -${sig.slice(3)} <that check>`);
    },
  },
  'check-stopped': {
    weight: 2,
    run: async (w, s, r) => {
      if (r() < 0.6) killOurs(w, s);
      const run = check(w, s);
      const delay = Math.floor(r() * 600);
      const stall = Math.floor(r() * 5000);
      await sleep(delay);
      run.sent.push('SIGSTOP');
      signalCheck(run, 'SIGSTOP');
      // Meanwhile cron starts the next check (it may take the lock over past lock.staleSec).
      await sleep(stall / 2);
      check(w, s);
      await sleep(stall / 2);
      signalCheck(run, 'SIGCONT');
      s.commands.push(
        `(after ${delay} ms) kill -STOP <that check>; check; (${stall} ms) kill -CONT`,
      );
    },
  },
  'via-launcher': {
    weight: 2,
    run: async (w, s, r) => {
      if (r() < 0.5) killOurs(w, s);
      // The launcher (cron's sh, cron-check.sh) stays the check's parent: never signalled.
      const run = w.cli(['check'], ['/bin/sh', '-c']);
      s.commands.push(`/bin/sh -c '${w.cliCommand(['check'])}'`);
      s.checks.push(run);
    },
  },
  'crash-at-start': {
    weight: 1,
    run: async (w, s, r) => {
      s.crashSteps = 2 + Math.floor(r() * 4);
      w.configure(soakSettings(w.port, w.stateDir, ['--crash-after', '0', '--exit-code', '1']));
      s.commands.push('restart.command += --crash-after 0 --exit-code 1');
      killOurs(w, s);
      check(w, s);
    },
  },
  'slow-boot': {
    weight: 1,
    run: async (w, s, r) => {
      const ms = 300 + Math.floor(r() * 1200);
      w.configure(soakSettings(w.port, w.stateDir, ['--listen-after', String(ms)]));
      s.commands.push(`restart.command += --listen-after ${ms}`);
      killOurs(w, s);
      check(w, s);
    },
  },
};

/** Picks a fault by weight. */
export function pick(r: () => number): string {
  const entries = Object.entries(FAULTS);
  const total = entries.reduce((sum, [, f]) => sum + f.weight, 0);
  let x = r() * total;
  for (const [name, f] of entries) {
    x -= f.weight;
    if (x < 0) return name;
  }
  return entries[0]![0];
}

/** Between steps: conditions set up by earlier faults end after their number of steps. */
export function age(w: World, s: Scene): void {
  if (s.portTaken && --s.portTaken.steps <= 0) {
    // The soak removes its own decoy: first from the decoys, then by pid.
    s.decoys.delete(s.portTaken.pid);
    const { pid, startTicks } = s.portTaken;
    signal(pid, 'SIGCONT', startTicks);
    signal(pid, 'SIGKILL', startTicks);
    s.commands.push(`kill -KILL ${s.portTaken.pid} (the holder of our port leaves)`);
    s.portTaken = null;
  }
  if (s.crashSteps > 0 && --s.crashSteps === 0) {
    w.configure(soakSettings(w.port, w.stateDir));
    s.commands.push('restart.command back to normal');
  }
}
