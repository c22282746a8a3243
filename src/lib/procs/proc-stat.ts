/** One process, as the watchdog needs to see it. */
export interface Proc {
  pid: number;
  ppid: number;
  uid: number | null;
  /** Kernel name (comm), at most 15 characters: `openclaw-gatewa` for the gateway. */
  name: string;
  /** argv[0] as the process shows it now (a title it set replaces it), without arguments. */
  title: string;
  /** Start time in clock ticks since boot: with pid, the process's identity. */
  startTicks: number;
  state: string;
  rssBytes: number;
  /** Age in seconds at the time of listing. */
  ageSec: number;
}

export interface StatFields {
  pid: number;
  name: string;
  state: string;
  ppid: number;
  startTicks: number;
  rssPages: number;
}

/** Parses /proc/<pid>/stat. The name sits in parentheses and may itself hold spaces or `)`. */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(rest[1]);
  const startTicks = Number(rest[19]);
  const rssPages = Number(rest[21]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isFinite(startTicks))
    return null;
  return {
    pid,
    name: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid,
    startTicks,
    rssPages,
  };
}

/**
 * The first word of argv[0] from /proc/<pid>/cmdline: a set title (`exec -a`, process.title) may
 * carry arguments after a space, and those can hold secrets: they never leave this function.
 */
export function titleFromCmdline(cmdline: string, fallback: string): string {
  const first = (cmdline.split('\0')[0] ?? '').trim().split(/\s+/)[0] ?? '';
  return first || fallback;
}

/** Uid from /proc/<pid>/status (`Uid:\treal\teffective...`): the real uid. */
export function parseUid(status: string): number | null {
  const match = /^Uid:\s+(\d+)/m.exec(status);
  return match ? Number(match[1]) : null;
}

/** Titled like a running OpenClaw gateway: `openclaw-gateway` (kernel name `openclaw-gatewa`). */
export const isGatewayTitled = (p: Pick<Proc, 'name' | 'title'>) =>
  p.title === 'openclaw-gateway' || p.name === 'openclaw-gatewa';

/** A zombie or dead process counts as gone: PID 1 may take seconds to reap it. */
export const isGoneState = (state: string) => state === 'Z' || state === 'X' || state === 'x';

/** Parents that adopt orphans besides init: the usual subreapers (systemd --user, tini, ...). */
export const ADOPTERS = new Set([
  'systemd',
  'tini',
  'dumb-init',
  'catatonit',
  'docker-init',
  's6-svscan',
]);
