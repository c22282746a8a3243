import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['localhost', 'localhost.', 'ip6-localhost', 'ip6-loopback'];

/** The host part of a Host header (`name`, `name:port`, `[v6]:port`), lower-cased. */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

const isLoopbackIp = (ip: string) =>
  (isIP(ip) === 4 && ip.startsWith('127.')) || ip === '::1' || ip === '::ffff:127.0.0.1';

/**
 * Which Host headers `serve` answers: loopback names and addresses, the address it is bound to
 * (the --host value), and, bound to a wildcard address, this machine's interface addresses.
 * A page that rebinds its own DNS name to 127.0.0.1 sends that name: refused (421).
 */
export function hostAllowed(bound: string): (header: string | undefined) => boolean {
  const allowed = new Set([...LOOPBACK_NAMES, bound.toLowerCase()]);
  if (bound === '0.0.0.0' || bound === '::') {
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) allowed.add(a.address.toLowerCase());
  }
  return (header) => {
    if (header === undefined) return true; // HTTP/1.0 without Host: not a browser
    const host = hostOf(header);
    return allowed.has(host) || isLoopbackIp(host);
  };
}

/** A listen address only this machine reaches: a loopback address or name. */
export const isLoopbackHost = (host: string): boolean =>
  LOOPBACK_NAMES.includes(host.toLowerCase()) || isLoopbackIp(host);
