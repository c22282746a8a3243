import type { GatewayProc, PortOwner } from '../decide/types.js';
import type { Attribution } from './attribute.js';
import type { Attributor } from './facts.js';
import { isGatewayTitled, type Proc } from './proc-stat.js';

/*
 * What decides "ours" in the process table: which gateway processes a check decides about (and
 * may stop), and whose the process on the port is. Pure, given the listing and the attributor's
 * lookups (observe.ts reads them).
 */

/** How long a process titled plain `openclaw` may be a gateway still booting (it retitles after ~3 s). */
const BOOT_TITLE_SEC = 60;

/** Titled like an OpenClaw gateway: `openclaw-gateway` (comm `openclaw-gatewa`), or `openclaw` while booting. */
export function isGatewayProc(p: Proc): boolean {
  return isGatewayTitled(p) || (p.title === 'openclaw' && p.ageSec < BOOT_TITLE_SEC);
}

/**
 * The process holding the port, as decide sees it: a gateway (titled so, same user) on our port is
 * ours only if known (spawned, lock) or under one we know, or attributed so; another state dir's
 * or nobody's is a conflict, and anything that is not a gateway of this user is `other`.
 */
export function portOwnerOf(
  ownerProc: Proc,
  sameUser: boolean,
  roots: Set<number>,
  byPid: Map<number, Proc>,
  attributor: Pick<Attributor, 'whose'>,
): PortOwner {
  const gateway = sameUser && isGatewayProc(ownerProc);
  const whose: Attribution = !gateway
    ? 'other'
    : roots.has(ownerProc.pid) || ancestorIn(ownerProc, roots, byPid) !== null
      ? 'ours'
      : attributor.whose(ownerProc.pid);
  const { pid, startTicks } = ownerProc;
  return { pid, name: ownerProc.title || ownerProc.name, startTicks, gateway, whose };
}

/** The nearest ancestor of `p` (not `p` itself) that is in `set`, or null. */
export function ancestorIn(p: Proc, set: Set<number>, byPid: Map<number, Proc>): Proc | null {
  const seen = new Set<number>([p.pid]);
  for (let a = byPid.get(p.ppid); a && !seen.has(a.pid); a = byPid.get(a.ppid)) {
    if (set.has(a.pid)) return a;
    seen.add(a.pid);
  }
  return null;
}

/**
 * The gateway processes a check decides about, never one provably of another port or state dir.
 * Our known pids (spawned, lock, port owner) are ours. A descendant of one of ours is ours too
 * (ancestry beats title): a gateway under our launcher counts as our gateway, anything under our
 * gateway is its child (stopped with its tree, never a gateway of its own, never a shield). Any
 * other `openclaw-gateway` is attributed; one that cannot be is kept as not ours (it may delay
 * while young, it is never stopped). A plain `openclaw` (the CLI, or a gateway in its first ~3 s)
 * counts only when positively ours (the above, or it holds this state dir's database open).
 */
export function gatewaysOf(
  mine: Proc[],
  roots: Set<number>,
  byPid: Map<number, Proc>,
  attributor: Attributor,
): GatewayProc[] {
  const whose = new Map<number, Attribution>();
  for (const p of mine) {
    if (roots.has(p.pid)) whose.set(p.pid, 'ours');
    else if (isGatewayTitled(p)) {
      const w = attributor.listed(p);
      if (w === null) continue; // exiting, or gone since the listing
      whose.set(p.pid, w);
    }
  }
  const ours = new Set([...whose].filter(([, w]) => w === 'ours').map(([pid]) => pid));
  const out: GatewayProc[] = [];
  for (const p of mine) {
    if (!roots.has(p.pid) && !isGatewayProc(p)) continue;
    if (isGatewayTitled(p) && !whose.has(p.pid)) continue; // gone since the listing
    let w = whose.get(p.pid) ?? 'unknown';
    const top = roots.has(p.pid) ? null : ancestorIn(p, ours, byPid);
    if (top) {
      if (underGateway(p, top, byPid)) continue; // a child of our gateway: part of its tree
      w = 'ours'; // a gateway under our launcher
    } else if (!isGatewayTitled(p) && !roots.has(p.pid)) {
      if (!attributor.holdsOurState(p.pid)) continue; // the CLI, or nobody knows: never waits
      w = 'ours';
    }
    if (w === 'other') continue;
    const { pid, startTicks, ageSec, title } = p;
    out.push({ pid, startTicks, ageSec, title, ours: w === 'ours' });
  }
  return out;
}

/** Is there a gateway-titled process between `p` (exclusive) and its ancestor `top` (inclusive)? */
function underGateway(p: Proc, top: Proc, byPid: Map<number, Proc>): boolean {
  for (let a = byPid.get(p.ppid); a; a = byPid.get(a.ppid)) {
    if (isGatewayProc(a)) return true;
    if (a.pid === top.pid) return false;
  }
  return false;
}
