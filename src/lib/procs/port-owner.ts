import { readdirSync, readFileSync } from 'node:fs';
import { procAddress, servesHost } from './listen-address.js';
import { fdLinks, isSameProcess } from './table.js';

/**
 * Who listens where (Linux): the kernel's TCP tables (/proc/net/tcp, tcp6) give listening socket
 * inodes, a process's fd links (`socket:[inode]`) name the sockets it holds. Both questions the
 * watchdog asks go through here: which pid holds a port, and does a pid hold any port.
 */
export const TCP_TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/**
 * Socket inodes in LISTEN state (on `port`, or on any port), from /proc/net/tcp or tcp6 text; with
 * `host`, only those whose address serves it (listen-address.ts: a wildcard, the address itself).
 * Pure.
 */
export function listeningInodes(text: string, port?: number, host?: string): number[] {
  const hexPort = port?.toString(16).toUpperCase().padStart(4, '0');
  const inodes: number[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (cols.length < 10 || cols[3] !== '0A') continue;
    const [hexAddress, portHex] = cols[1]?.split(':') ?? [];
    if (hexPort !== undefined && portHex !== hexPort) continue;
    if (host !== undefined && !servesAt(hexAddress, host)) continue;
    const inode = Number(cols[9]);
    if (inode > 0) inodes.push(inode);
  }
  return inodes;
}

const socketLink = (inode: number) => `socket:[${inode}]`;

/** Does the listening address (a /proc/net hex field) serve `host`? Unparseable: yes. */
function servesAt(hexAddress: string | undefined, host: string): boolean {
  const address = procAddress(hexAddress ?? '');
  return address === null || servesHost(address, host);
}

/** Listening socket inodes in one /proc/net table, on `port` or any; none when it is missing. */
function readInodes(table: string, port?: number, host?: string): number[] {
  try {
    return listeningInodes(readFileSync(table, 'utf8'), port, host);
  } catch {
    return []; // no IPv6, or no /proc
  }
}

/** Listening socket links (`socket:[inode]`) in one /proc/net table; none when it is missing. */
export function readListening(table: string): Set<string> {
  return new Set(readInodes(table).map(socketLink));
}

/**
 * The pid listening on the port (with `host`: at an address that serves it, not another address
 * with the same port): every process's fd links are searched for the port's socket inodes. Only
 * processes this user may inspect are visible: another user's listener yields null with `inodes`
 * non-empty.
 */
export function findPortOwner(
  port: number,
  host?: string,
): { pid: number | null; inodes: number[] } {
  const inodes = [...new Set(TCP_TABLES.flatMap((table) => readInodes(table, port, host)))];
  if (inodes.length === 0) return { pid: null, inodes: [] };
  const wanted = new Set(inodes.map(socketLink));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (fdLinks(entry)?.some((link) => wanted.has(link))) return { pid: Number(entry), inodes };
  }
  return { pid: null, inodes };
}

/**
 * Does a pid hold a listening TCP socket? Its own socket fds first; then /proc/net/tcp, and tcp6
 * only if tcp does not answer: each table read walks the kernel's whole socket hash (≈ 4 ms here),
 * and a healthy check asks this of the live gateway every run. Each table is read once per check.
 */
export function holdsPortFn(readTable = readListening): (pid: number) => boolean {
  const tables = new Map<string, Set<string>>();
  const listening = (table: string) => {
    let set = tables.get(table);
    if (!set) tables.set(table, (set = readTable(table)));
    return set;
  };
  return (pid) => {
    const links = fdLinks(pid);
    if (links === null) return true; // cannot tell: assume it does, and leave it alone
    const sockets = links.filter((link) => link.startsWith('socket:['));
    if (sockets.length === 0) return false;
    return TCP_TABLES.some((table) => sockets.some((s) => listening(table).has(s)));
  };
}

/** Listening sockets in /proc/net/tcp or tcp6 text: socket link (`socket:[inode]`) → port; with
 * `host`, only those at an address that serves it. Pure. */
export function listeningPorts(text: string, host?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || cols[3] !== '0A') continue;
    if (host !== undefined && !servesAt(cols[1]?.split(':')[0], host)) continue;
    const port = parseInt(cols[1]?.split(':')[1] ?? '', 16);
    const inode = Number(cols[9]);
    if (inode > 0 && Number.isInteger(port)) out.set(socketLink(inode), port);
  }
  return out;
}

/** A /proc/net table's text; empty when it is missing (no IPv6, or no /proc). */
export function readTableText(table: string): string {
  try {
    return readFileSync(table, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The ports a pid listens on (its socket fds against /proc/net/tcp and tcp6): what a process
 * actually does beats what its environment says. Null when its fds cannot be read. The tables are
 * read at most once per function made (one check), and only when a pid holds a socket.
 */
export function listenPortsFn(
  readTable = readTableText,
  host?: string,
): (pid: number) => number[] | null {
  let sockets: Map<string, number> | null = null;
  return (pid) => {
    const links = fdLinks(pid);
    if (links === null) return null;
    const mine = links.filter((link) => link.startsWith('socket:['));
    if (mine.length === 0) return [];
    sockets ??= new Map(TCP_TABLES.flatMap((t) => [...listeningPorts(readTable(t), host)]));
    const ports = mine.map((s) => sockets!.get(s)).filter((p): p is number => p !== undefined);
    return [...new Set(ports)];
  };
}

/**
 * Does this very process (pid and start time) hold a listening socket on `port`? Its socket fds
 * against the port's listening inodes in /proc/net/tcp and tcp6: one fd directory and the two
 * tables, no walk of every process (findPortOwner). False when it is gone, another process by
 * now, holds no socket, or its fds cannot be read: not provably.
 */
export function holdsListenPort(
  ref: { pid: number; startTicks: number | null },
  port: number,
  host?: string,
): boolean {
  if (ref.startTicks === null || !isSameProcess(ref.pid, ref.startTicks)) return false;
  const sockets = new Set(fdLinks(ref.pid)?.filter((link) => link.startsWith('socket:[')));
  if (sockets.size === 0) return false;
  return TCP_TABLES.some((table) =>
    readInodes(table, port, host).some((i) => sockets.has(socketLink(i))),
  );
}
