import type { Attribution } from '../procs/attribute.js';
import { ADOPTERS, isGatewayTitled, type Proc } from '../procs/proc-stat.js';
import { descendants } from '../procs/tree.js';

/** Never an orphan, whatever the patterns say: the watchdog itself. */
const NEVER = /^openclaw-watchdog/;

export interface OrphanRules {
  uid: number | null;
  patterns: string[];
  /** The live gateway(s): never orphans (their descendants are never parentless). */
  livePids: Set<number>;
  /** This process and its ancestors. */
  protectedPids: Set<number>;
  /** Only orphans at least this old (null: any age, e.g. right before a restart). */
  minAgeSec: number | null;
  /** A gateway-titled process younger than this may be booting: never an orphan. */
  graceSec: number;
  /** Does this pid hold a listening socket? Asked only for gateway-titled candidates. */
  holdsPort: (pid: number) => boolean;
  /** The systemd unit a process runs in (from its cgroup), or null. Asked only for candidates. */
  unitOf: (pid: number) => string | null;
  /** Whose a candidate is (its environment, as inherited from the gateway that started it).
   * Asked only for candidates that passed every other rule. */
  attribution: (pid: number) => Attribution;
}

/** A gateway, or a process that may be one still booting (titled `openclaw` for ~3 s). */
const gatewayLike = (p: Proc) => isGatewayTitled(p) || p.title === 'openclaw';

export interface Orphan {
  pid: number;
  startTicks: number;
  name: string;
  ageSec: number;
  rssBytes: number;
  /** ours: reaped; unknown: cannot be attributed to this or another gateway, only reported. */
  whose: 'ours' | 'unknown';
}

/** `*` globs, anchored, case-sensitive. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

const basename = (s: string) => s.slice(s.lastIndexOf('/') + 1);

/**
 * The gateway's leaked helpers in a process table: same user; named (comm, title, or the title's
 * basename, never an argument) like one of the patterns; parentless (init or a subreaper adopted
 * it); not the live gateway, not the watchdog or its ancestors; not the main process of another
 * systemd unit; attributed (by its environment: the gateway's children inherit its
 * OPENCLAW_STATE_DIR / OPENCLAW_PROFILE / HOME) to this watchdog's gateway, or to nobody (`unknown`:
 * reported, never reaped), never to another. A process titled `openclaw-gateway` is an orphan only
 * when it holds no port and is past the startup grace. A process whose tree holds the live
 * gateway or any other gateway (a launcher such as `openclaw-run.sh`) is never an orphan. Pure, but
 * for the lookups the rules carry.
 */
export function classifyOrphans(table: Proc[], rules: OrphanRules): Orphan[] {
  const regexps = rules.patterns.map(globToRegExp);
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const out: Orphan[] = [];
  for (const p of table) {
    if (rules.uid !== null && p.uid !== rules.uid) continue;
    if (rules.protectedPids.has(p.pid) || rules.livePids.has(p.pid)) continue;
    const names = [p.name, p.title, basename(p.title)];
    if (names.some((n) => NEVER.test(n))) continue;
    if (!names.some((n) => regexps.some((r) => r.test(n)))) continue;
    if (rules.minAgeSec !== null && p.ageSec < rules.minAgeSec) continue;
    const parent = byPid.get(p.ppid);
    const adopted =
      p.ppid === 1 || p.ppid === 0 || (parent !== undefined && ADOPTERS.has(parent.name));
    if (!adopted) continue;
    if (isGatewayTitled(p) && (p.ageSec < rules.graceSec || rules.holdsPort(p.pid))) continue;
    const tree = descendants(p.pid, table);
    if (tree.some((d) => rules.livePids.has(d.pid) || gatewayLike(d))) continue;
    const unit = rules.unitOf(p.pid);
    if (unit && !unit.startsWith('openclaw-gateway')) continue;
    const whose = rules.attribution(p.pid);
    if (whose === 'other') continue; // another profile's, HOME's or state dir's: never touched
    out.push({
      pid: p.pid,
      startTicks: p.startTicks,
      name: p.title || p.name,
      ageSec: p.ageSec,
      rssBytes: p.rssBytes,
      whose,
    });
  }
  return out;
}

/** The systemd service a cgroup path names, e.g. `openclaw-gateway.service`. Pure. */
export function unitFromCgroup(cgroup: string): string | null {
  for (const line of cgroup.split('\n')) {
    const path = line.split(':').slice(2).join(':');
    const match = /([^/]+\.service)(?:\/[^/]*)?$/.exec(path);
    if (match) return match[1] ?? null;
  }
  return null;
}
