import type { LockListener } from '../store/state.js';
import { listeningPorts, readTableText, TCP_TABLES } from './port-owner.js';
import { fdLinks } from './table.js';

/**
 * How long a remembered listener stands in for the kernel's TCP tables: past this, a check reads
 * them again (a bound on what a remembered socket could miss, e.g. an inode number reused after
 * the kernel's counter wrapped).
 */
export const LOCK_LISTENER_RECHECK_MS = 10 * 60_000;

const socketLink = (inode: number) => `socket:[${inode}]`;

/** Does `saved` still stand for this process at `now`: same pid and start time, not too old? Pure. */
export function listenerFresh(
  saved: LockListener | null | undefined,
  ref: { pid: number; startTicks: number },
  now: number,
): saved is LockListener {
  return (
    saved !== null &&
    saved !== undefined &&
    saved.pid === ref.pid &&
    saved.startTicks === ref.startTicks &&
    saved.at <= now &&
    now - saved.at < LOCK_LISTENER_RECHECK_MS
  );
}

/**
 * The ports the gateway its lock names listens on, as attribution asks on every check (procs/
 * facts.ts), without reading /proc/net/tcp and tcp6 each time: each read walks the kernel's whole
 * socket hash (≈ 4 ms of CPU per table here), the largest single cost a healthy check added. When
 * the last full read (`saved`, in state.json) found this very process (pid and start time)
 * listening on our port through socket inode N, and the process still holds socket:[N] among its
 * fds, it still listens on that port: a bound socket never changes its port, and the socket is
 * its own as long as it holds it. Attribution asks only whether our port is among its ports
 * (attribute.ts byPort), so [port] answers as the full read would. Otherwise (another process,
 * the socket closed, older than LOCK_LISTENER_RECHECK_MS): the full read, which is remembered
 * anew (`seen`) when it finds the process on our port.
 */
export function lockListenPorts(
  saved: LockListener | null | undefined,
  ref: { pid: number; startTicks: number },
  port: number,
  now: number,
  options: { host?: string; readTable?: (table: string) => string; links?: typeof fdLinks } = {},
): { ports: (pid: number) => number[] | null; seen: () => LockListener | null } {
  const { host, readTable = readTableText, links: linksOf = fdLinks } = options;
  let seen: LockListener | null = null;
  let table: Map<string, number> | null = null;
  const ports = (pid: number): number[] | null => {
    const links = linksOf(pid);
    if (links === null) return null;
    const mine = pid === ref.pid;
    if (mine && listenerFresh(saved, ref, now) && links.includes(socketLink(saved.inode))) {
      seen = saved;
      return [saved.port];
    }
    const sockets = links.filter((link) => link.startsWith('socket:['));
    if (sockets.length === 0) return [];
    table ??= new Map(TCP_TABLES.flatMap((t) => [...listeningPorts(readTable(t), host)]));
    const held = sockets.filter((s) => table!.has(s));
    const onPort = held.find((s) => table!.get(s) === port);
    if (mine && onPort) {
      seen = { pid, startTicks: ref.startTicks, inode: Number(onPort.slice(8, -1)), port, at: now };
    }
    return [...new Set(held.map((s) => table!.get(s)!))];
  };
  return { ports, seen: () => seen };
}
