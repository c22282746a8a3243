import { readdirSync, readlinkSync } from 'node:fs';
import {
  ADOPTERS,
  isGoneState,
  parseStat,
  parseUid,
  titleFromCmdline,
  type Proc,
  type StatFields,
} from './proc-stat.js';
import { readText } from './read-text.js';

const TICKS_PER_SEC = 100; // USER_HZ on Linux
const PAGE = 4096;

const read = readText;

function uptimeSec(): number {
  return Number((read('/proc/uptime') ?? '0').split(' ')[0]);
}

/** One process by pid, read fresh from /proc; null when it is gone (zombies count as gone). */
export function readProc(pid: number, uptime = uptimeSec()): Proc | null {
  const stat = read(`/proc/${pid}/stat`);
  const fields = stat ? parseStat(stat) : null;
  if (!fields || isGoneState(fields.state)) return null;
  return toProc(fields, uptime);
}

function toProc(fields: StatFields, uptime: number): Proc {
  const status = read(`/proc/${fields.pid}/status`);
  const cmdline = read(`/proc/${fields.pid}/cmdline`) ?? '';
  return {
    ...brief(fields, uptime),
    uid: status ? parseUid(status) : null,
    title: titleFromCmdline(cmdline, fields.name),
  };
}

/**
 * Where each of a pid's open fds points (`socket:[inode]`, a path): the one walk of
 * /proc/<pid>/fd. Null when it cannot be read (gone, or another user's process).
 */
export function fdLinks(pid: number | string): string[] | null {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const links: string[] = [];
  for (const fd of fds) {
    try {
      links.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // fd closed meanwhile
    }
  }
  return links;
}

/**
 * Is this pid still the same process (same start time), and not a zombie? An identity without a
 * start time never matches: a pid alone may name any process by now.
 */
export function isSameProcess(pid: number, startTicks: number | null): boolean {
  if (startTicks === null) return false;
  const proc = readProc(pid);
  return proc !== null && proc.startTicks === startTicks;
}

/** Start time (clock ticks since boot) of a pid, zombies included: right after spawning a child. */
export function readStartTicks(pid: number): number | null {
  const stat = read(`/proc/${pid}/stat`);
  return (stat ? parseStat(stat)?.startTicks : null) ?? null;
}

/**
 * Every live process (zombies left out), read from /proc: cheaper than spawning `ps`, and it gives
 * what ps-list does not (start ticks for identity, state, RSS). Only processes that can matter to
 * the watchdog (adopted by init or a subreaper, or named openclaw*) get their uid and title read;
 * the rest carry uid null and their kernel name. Elsewhere than Linux, ps-list.
 */
export async function listProcesses(): Promise<Proc[]> {
  if (process.platform !== 'linux') return listWithPsList();
  const uptime = uptimeSec();
  const stats: StatFields[] = [];
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) > 57) continue; // not a digit: not a process
    const text = read(`/proc/${entry}/stat`);
    const fields = text ? parseStat(text) : null;
    if (fields && !isGoneState(fields.state)) stats.push(fields);
  }
  const adopters = new Set([0, 1, ...stats.filter((f) => ADOPTERS.has(f.name)).map((f) => f.pid)]);
  return stats.map((f) =>
    adopters.has(f.ppid) || f.name.startsWith('openclaw') ? toProc(f, uptime) : brief(f, uptime),
  );
}

function brief(fields: StatFields, uptime: number): Proc {
  return {
    pid: fields.pid,
    ppid: fields.ppid,
    uid: null,
    name: fields.name,
    title: fields.name,
    startTicks: fields.startTicks,
    state: fields.state,
    rssBytes: fields.rssPages * PAGE,
    ageSec: Math.max(0, uptime - fields.startTicks / TICKS_PER_SEC),
  };
}

async function listWithPsList(): Promise<Proc[]> {
  const { default: psList } = await import('ps-list');
  const now = Date.now();
  return (await psList()).map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    uid: p.uid ?? null,
    name: p.name,
    title: titleFromCmdline((p.cmd ?? '').split(' ')[0] ?? '', p.name),
    startTicks: p.startTime ? Math.round(p.startTime.getTime() / 10) : 0,
    state: 'S',
    rssBytes: 0,
    ageSec: p.startTime ? (now - p.startTime.getTime()) / 1000 : 0,
  }));
}
