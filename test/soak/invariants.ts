import { LEFTOVER_AGE_MS } from '../../src/lib/store/leftover-temp.js';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { readProc } from '../../src/lib/procs/table.js';
import type { CheckEnd, CheckRun, World } from './world.js';
import type { Scene } from './faults.js';

/** What the README documents as a check's exit codes (2 is a config mistake: none here). */
const EXIT_CODES = new Set([0, 1, 75]);
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
const STATE_BYTES = 4096;
/** Two gateways of ours at once: a second one fails to bind and exits within this (boot overlap). */
const OVERLAP_MS = 5000;
/** The soak's own scheduling noise on top of each bound (2 shared cores, several soaks at once). */
const SLACK_MS = 10_000;

/** Does our port answer /healthz with 200 (loopback, 800 ms at most)? */
export function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 800 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

type Line = { ts: string; level: string; event: string; [k: string]: unknown };

/** Every event line, oldest first (rotated files .N … .1, then the live one); bad lines named. */
export function readLog(dir: string, maxFiles: number): { lines: Line[]; bad: string[] } {
  const lines: Line[] = [];
  const bad: string[] = [];
  for (let i = maxFiles + 1; i >= 0; i--) {
    const file = join(dir, i === 0 ? 'events.jsonl' : `events.jsonl.${i}`);
    if (!existsSync(file)) continue;
    if (i >= maxFiles) bad.push(`${file} exists (events.maxFiles is ${maxFiles})`);
    const text = readFileSync(file, 'utf8');
    if (text && !text.endsWith('\n')) bad.push(`${file}: torn last line`);
    for (const raw of text.split('\n').filter(Boolean)) {
      try {
        const e = JSON.parse(raw) as Line;
        const ok =
          typeof e.ts === 'string' &&
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.ts) &&
          ['info', 'warn', 'error'].includes(e.level) &&
          typeof e.event === 'string';
        if (ok) lines.push(e);
        else bad.push(`${file}: not an event: ${raw.slice(0, 200)}`);
      } catch {
        bad.push(`${file}: not JSON: ${raw.slice(0, 200)}`);
      }
    }
  }
  return { lines, bad };
}

/**
 * The invariants, checked after every step. Each violation is one line; the caller prints the
 * reproduction. Keeps what it needs across steps (since when the gateway has been down, since when
 * two of ours have run, which restarts it has judged).
 */
export class Judge {
  private downSince: number | null = null;
  private overlapSince: number | null = null;
  private judgedUpTo = '';
  private conflictsUpTo = '';
  /** Inversions already reported (the log keeps them; said once). */
  private readonly saidOrder = new Set<string>();
  /** state.json was damaged by the soak and no check has finished since. */
  stateDamaged = false;
  readonly counts = { checks: 0, exits: new Map<string, number>(), restarts: 0, conflicts: 0 };

  constructor(private readonly w: World) {}

  /** The bound on "healthy again", from the config (see docs/soak.md). */
  healthyBoundMs(slowestBootSec: number): number {
    const { probe, restart, orphans, lock } = this.w.settings;
    const grace = Math.max(probe.startupGraceSec, 2 * slowestBootSec);
    const sec =
      probe.hungAfterSec +
      restart.stopTimeoutSec +
      orphans.killTimeoutSec +
      restart.verifyTimeoutSec +
      restart.maxDelaySec +
      2 * lock.staleSec +
      grace;
    return sec * 1000 + SLACK_MS;
  }

  /** The end of one check (or other command) the soak started. */
  judgeEnd(run: CheckRun, end: CheckEnd): string[] {
    const out: string[] = [];
    this.counts.checks++;
    const key = end.signal ?? String(end.code);
    this.counts.exits.set(key, (this.counts.exits.get(key) ?? 0) + 1);
    // A signal the soak sent may end it (SIGTERM/SIGINT before the check holds its lock, or after
    // it recorded everything: nothing to record, so the default action stands).
    if (end.signal && !run.sent.includes(end.signal))
      out.push(`check pid ${run.pid} ended by ${end.signal}, not sent by the soak`);
    if (end.code !== null && !EXIT_CODES.has(end.code))
      out.push(`check pid ${run.pid} exited ${end.code} (documented: 0, 1, 75)`);
    if (STACK.test(end.stderr) || STACK.test(end.stdout))
      out.push(`check pid ${run.pid} printed a stack trace: ${end.stderr.slice(0, 400)}`);
    if (run.command !== 'check') {
      if (end.code !== 0)
        out.push(`${run.command} exited ${end.code}: ${end.stderr.slice(0, 200)}`);
      return out;
    }
    if (end.stdout !== '')
      out.push(`check pid ${run.pid} printed on stdout: ${end.stdout.slice(0, 200)}`);
    const lines = end.stderr.split('\n').filter(Boolean);
    if (lines.length > 2) out.push(`check pid ${run.pid} printed ${lines.length} lines on stderr`);
    // One line when it did something (or could not), nothing otherwise (README, check --dry-run);
    // always the program's own line, never raw output.
    if (lines.some((l) => !l.startsWith('openclaw-watchdog: ')))
      out.push(`check pid ${run.pid} printed a line not its own: ${lines[0]}`);
    // A check that ran to its end rewrote it (75: another held the lock; a signal: maybe not).
    if ((end.code === 0 || end.code === 1) && run.sent.length === 0) this.stateDamaged = false;
    return out;
  }

  /** After a step, its checks ended: the world as it must be. */
  async judgeWorld(s: Scene): Promise<string[]> {
    const out: string[] = [];
    const now = Date.now();
    // 1. No decoy dies.
    for (const d of s.decoys.values()) {
      const p = readProc(d.pid);
      if (!p || p.startTicks !== d.startTicks) {
        const how = this.w.exits.get(d.pid) ?? 'not its child: how unknown';
        out.push(`decoy died: ${d.kind} (pid ${d.pid}, ${how})`);
        s.decoys.delete(d.pid);
      }
    }
    // 2. Never two gateways of ours beyond a boot overlap.
    const ours = this.w.ourGateways();
    if (ours.length > 1) {
      this.overlapSince ??= now;
      if (now - this.overlapSince > OVERLAP_MS)
        out.push(
          `${ours.length} gateways of ours for ${now - this.overlapSince} ms: ${ours.join(', ')}`,
        );
    } else this.overlapSince = null;
    // 3. Files valid and bounded.
    const stateFile = join(this.w.dir, 'state.json');
    let slowest = 0;
    let incident: string | null = null;
    if (!this.stateDamaged && existsSync(stateFile)) {
      const st = lstatSync(stateFile);
      if (!st.isFile() || st.size !== STATE_BYTES)
        out.push(`state.json is ${st.size} bytes, not ${STATE_BYTES}`);
      try {
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
          slowestBootSec?: number;
          incident?: { kind?: string } | null;
        };
        slowest = state.slowestBootSec ?? 0;
        incident = state.incident?.kind ?? null;
      } catch {
        out.push('state.json is not JSON after a check');
      }
    }
    const { maxBytes, maxFiles } = this.w.settings.events;
    const log = readLog(this.w.dir, maxFiles);
    out.push(...log.bad);
    for (const name of readdirSync(this.w.dir)) {
      const size = lstatSync(join(this.w.dir, name)).size;
      if (name.startsWith('events.jsonl') && size > maxBytes + 64 * 1024)
        out.push(`${name} is ${size} bytes (events.maxBytes ${maxBytes})`);
      if (name.startsWith('gateway.log') && size > 5 * 1024 * 1024 + 64 * 1024)
        out.push(`${name} is ${size} bytes`);
    }
    // A temp file of a check killed mid-write stays until it is LEFTOVER_AGE_MS old (then the next
    // check removes it: store/leftover-temp.ts); only an older one counts.
    const files = readdirSync(this.w.dir).filter(
      (n) =>
        !n.startsWith('check.lock') &&
        !(
          /\.[0-9a-f]{16}\.tmp$/.test(n) &&
          Date.now() -
            (lstatSync(join(this.w.dir, n), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) <
            LEFTOVER_AGE_MS
        ),
    );
    if (files.length > 16)
      out.push(`${files.length} files in the watchdog dir: ${files.join(' ')}`);
    // 4. The event log's promise: ts never decreases from one line to the next.
    for (let i = 1; i < log.lines.length; i++) {
      const a = log.lines[i - 1]!;
      const b = log.lines[i]!;
      const said = `${a.event} ${a.ts} before ${b.event} ${b.ts}`;
      if (b.ts < a.ts && !this.saidOrder.has(said)) {
        this.saidOrder.add(said);
        out.push(`events out of time order: ${said}`);
      }
    }
    // 5. No more restarts than the backoff allows: two starts at least restart.baseDelaySec apart,
    // less the cadence slack the backoff allows (a tenth of the delay, at most 3 s: backoff.ts).
    // (Judged by time: the log rotates, old lines go.)
    const restarts = log.lines.filter((e) => e.event === 'gateway_restart');
    const delay = this.w.settings.restart.baseDelaySec * 1000;
    const base = delay - Math.min(3000, delay * 0.1);
    for (let i = 0; i < restarts.length; i++) {
      const ts = restarts[i]!.ts;
      if (ts <= this.judgedUpTo) continue;
      this.counts.restarts++;
      const prev = restarts[i - 1];
      const gap = prev ? Date.parse(ts) - Date.parse(prev.ts) : Infinity;
      if (gap < base - 50)
        out.push(`two restarts ${gap} ms apart (restart.baseDelaySec ${delay / 1000})`);
    }
    if (restarts.length) this.judgedUpTo = restarts.at(-1)!.ts;
    for (const e of log.lines)
      if (e.event === 'port_conflict' && e.ts > this.conflictsUpTo) this.counts.conflicts++;
    const conflicts = log.lines.filter((e) => e.event === 'port_conflict');
    if (conflicts.length) this.conflictsUpTo = conflicts.at(-1)!.ts;
    // 6. Orphans of ours reaped in time. A down gateway's orphans go right before its restart, so a restart held by the backoff or a
    // hang not yet called hung holds them too; a pause, a port conflict or a crashing start
    // (nothing is done then, as documented) stops their clock.
    const { minAgeSec, killTimeoutSec } = this.w.settings.orphans;
    const { restart, probe } = this.w.settings;
    const orphanBound =
      (minAgeSec + Math.min(60, minAgeSec / 4) + killTimeoutSec + restart.maxDelaySec) * 1000 +
      probe.hungAfterSec * 1000 +
      SLACK_MS;
    const paused = now < s.pausedUntil;
    const held = paused || s.portTaken !== null || s.crashSteps > 0;
    s.orphans = s.orphans.filter((o) => {
      const alive = readProc(o.pid)?.startTicks === o.startTicks;
      if (alive && held) o.bornAt = Math.max(o.bornAt, now - minAgeSec * 1000);
      if (alive && now - o.bornAt > orphanBound) {
        out.push(`orphan of ours pid ${o.pid} still alive after ${now - o.bornAt} ms`);
        return false;
      }
      return alive;
    });
    // 7. Healthy again within the bound, unless something the README says waits holds it.
    const owner = this.w.portOwner();
    const up = (await healthz(this.w.port)) && owner !== null && ours.includes(owner);
    if (up || held) this.downSince = null;
    else {
      this.downSince ??= now;
      const bound = this.healthyBoundMs(slowest);
      if (now - this.downSince > bound) {
        out.push(`our gateway not healthy for ${now - this.downSince} ms (bound ${bound} ms)`);
        this.downSince = now;
      }
    }
    // 8. Another state dir's gateway answering on our port is a port_conflict, never healthy.
    if (s.portTaken?.kind === 'other_gateway') {
      const since = new Date(s.portTaken.since).toISOString();
      const said =
        log.lines.some((e) => e.event === 'port_conflict' && e.ts >= since) ||
        incident === 'conflict';
      if (!said && now - s.portTaken.since > 3000)
        out.push('another state dir’s gateway answers on our port, and no port_conflict was said');
    }
    return out;
  }
}
