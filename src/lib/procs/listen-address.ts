import { isIP } from 'node:net';

/**
 * Which listening addresses serve the address the watchdog probes (`gateway.host`): a port alone
 * does not say whose a socket is, a gateway on 127.0.0.2:18789 does not answer 127.0.0.1:18789.
 * Pure.
 */

/** An IPv6 address in its canonical short form (`::1`, `::ffff:7f00:1`). */
function canonical6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/**
 * The address of a `/proc/net/tcp` or `tcp6` `local_address` hex field (the kernel prints each
 * 32-bit word in host order: little-endian here): `0100007F` → `127.0.0.1`, 32 hex digits → IPv6.
 * Null when it is neither.
 */
export function procAddress(hex: string): string | null {
  const word = (h: string) => [6, 4, 2, 0].map((i) => parseInt(h.slice(i, i + 2), 16));
  if (/^[0-9A-Fa-f]{8}$/.test(hex)) return word(hex).join('.');
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null;
  const bytes = [0, 8, 16, 24].flatMap((i) => word(hex.slice(i, i + 8)));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return canonical6(groups.join(':'));
}

const WILDCARD = new Set(['0.0.0.0', '::']);
const isLoopback = (a: string) =>
  a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.');

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:7f00:1`) stands for, else null. */
function mapped4(a: string): string | null {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (m) {
    const hi = parseInt(m[1]!, 16);
    const lo = parseInt(m[2]!, 16);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return dotted ? dotted[1]! : null;
}

/**
 * Does a socket listening on `local` (as procAddress gives it) answer connections to `host`? A
 * wildcard listener does; `localhost` is any loopback address; a name that is not an address
 * cannot be told from here (then yes: the port decides, as before).
 */
export function servesHost(local: string, host: string): boolean {
  if (WILDCARD.has(local)) return true;
  const want = host.replace(/^\[|\]$/g, '');
  if (want === 'localhost') return isLoopback(local);
  const kind = isIP(want);
  if (kind === 0) return true;
  if (WILDCARD.has(want)) return isLoopback(local); // connecting to 0.0.0.0 reaches the host itself
  const v4 = mapped4(local) ?? local;
  if (kind === 4) return v4 === want;
  return canonical6(want) === local;
}
