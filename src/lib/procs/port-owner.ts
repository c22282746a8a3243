import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Socket inodes in LISTEN state (on `port`, or on any port), from /proc/net/tcp or tcp6 text. Pure. */
export function listeningInodes(text: string, port?: number): number[] {
  const hexPort = port?.toString(16).toUpperCase().padStart(4, '0');
  const inodes: number[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (cols.length < 10 || cols[3] !== '0A') continue;
    if (hexPort !== undefined && cols[1]?.split(':')[1] !== hexPort) continue;
    const inode = Number(cols[9]);
    if (inode > 0) inodes.push(inode);
  }
  return inodes;
}

/** Listening socket inodes from /proc/net/tcp and tcp6 (Linux), on `port` or on any port. */
export function readListeningInodes(port?: number): Set<number> {
  const inodes = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const inode of listeningInodes(readFileSync(table, 'utf8'), port)) inodes.add(inode);
    } catch {
      // no IPv6, or no /proc
    }
  }
  return inodes;
}

/**
 * The pid listening on the port (Linux): /proc/net/tcp and tcp6 give the socket inode, each
 * process's fd links name their sockets. Only processes this user may inspect are visible:
 * another user's listener yields null with `inodes` non-empty.
 */
export function findPortOwner(port: number): { pid: number | null; inodes: number[] } {
  const inodes = readListeningInodes(port);
  if (inodes.size === 0) return { pid: null, inodes: [] };
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${entry}/fd/${fd}`)))
          return { pid: Number(entry), inodes: [...inodes] };
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return { pid: null, inodes: [...inodes] };
}
