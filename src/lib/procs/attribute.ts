import { basename, dirname, join, resolve } from 'node:path';
import { parsePortEnv } from '../config/paths.js';

/** Which gateway this watchdog looks after. */
export interface GatewayIdentity {
  port: number;
  /** The address probed (gateway.host): a port counts as ours only at an address serving it. */
  host?: string;
  stateDir: string;
  profile: string | null;
  configPath: string;
}

/** What a process tells about itself: argv (empty once a title replaced it) and its environment. */
export interface ProcFacts {
  args: string[];
  /** The environment it started with; null when it cannot be read (another user's, or no /proc). */
  env: Record<string, string> | null;
  /** State dirs whose database it holds open (`<dir>/state/openclaw.sqlite`, once booted). */
  openStateDirs?: string[];
  /** The ports it listens on (its sockets in /proc/net/tcp{,6}); undefined or null: not known. */
  listenPorts?: number[] | null;
}

/** ours: this watchdog's gateway; other: provably another gateway; unknown: cannot tell. */
export type Attribution = 'ours' | 'other' | 'unknown';

/** The value of `--name V` or `--name=V` in argv. */
function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

/** Canonical form of a path for comparison (realpath where it exists); `resolve` when pure. */
export type RealPath = (path: string) => string;

/**
 * The port a process serves: the ports it actually listens on, once it listens anywhere (an
 * inherited `OPENCLAW_GATEWAY_PORT` or a stale `--port` then says nothing); while it listens
 * nowhere yet (booting), `--port` > `OPENCLAW_GATEWAY_PORT`, as OpenClaw resolves it.
 */
function byPort(facts: ProcFacts, env: Record<string, string>, port: number): Attribution {
  const listening = facts.listenPorts ?? [];
  if (listening.length) return listening.includes(port) ? 'ours' : 'other';
  const declared = parsePortEnv(flag(facts.args, '--port') ?? env.OPENCLAW_GATEWAY_PORT);
  // Stryker disable next-line StringLiteral: callers compare only with 'ours' and 'other'
  if (declared === null) return 'unknown';
  return declared === port ? 'ours' : 'other';
}

/**
 * The state dir a process uses: the state database it holds open, `OPENCLAW_STATE_DIR`,
 * `--profile`/`OPENCLAW_PROFILE` under `OPENCLAW_HOME`/`HOME`, `OPENCLAW_CONFIG_PATH`. A process
 * that shows only its HOME may use the default or any profile of that HOME (`openclaw --profile X`
 * sets its variables inside the process only): unknown when this state dir is one of those, other
 * when it cannot be.
 */
function byStateDir(
  facts: ProcFacts,
  env: Record<string, string>,
  me: GatewayIdentity,
  real: RealPath,
): Attribution {
  const same = (a: string, b: string) => real(a) === real(b);
  const verdict = (match: boolean): Attribution => (match ? 'ours' : 'other');
  const open = facts.openStateDirs ?? [];
  if (open.length) return verdict(open.some((d) => same(d, me.stateDir)));
  if (env.OPENCLAW_STATE_DIR) return verdict(same(env.OPENCLAW_STATE_DIR, me.stateDir));
  const rawProfile = flag(facts.args, '--profile') ?? env.OPENCLAW_PROFILE;
  const profile = rawProfile && rawProfile !== 'default' ? rawProfile : null;
  const home = env.OPENCLAW_HOME || env.HOME;
  if (home && profile) return verdict(same(join(home, `.openclaw-${profile}`), me.stateDir));
  if (env.OPENCLAW_CONFIG_PATH) return verdict(same(env.OPENCLAW_CONFIG_PATH, me.configPath));
  if (!home) return 'unknown';
  const dir = resolve(me.stateDir);
  const underHome =
    same(dirname(dir), home) && /^(\.openclaw|\.clawdbot|\.openclaw-.+)$/.test(basename(dir));
  const defaults = ['.openclaw', '.clawdbot'].some((n) => same(join(home, n), me.stateDir));
  return underHome || defaults ? 'unknown' : 'other';
}

/**
 * Attributes a process (a gateway, or a helper that inherited a gateway's environment) to this
 * watchdog's gateway, whose identity is a port and a state dir. Another port (one it listens on,
 * or, while it listens nowhere, the one it was told) is never ours; another state dir is never
 * ours, whatever its port; ours when the state dir says so, or when the port does and the
 * environment, read, does not contradict it. Paths compare by `real` (realpath: a symlinked
 * ~/.openclaw is the same dir). Pure, given `real`.
 */
export function attribute(
  facts: ProcFacts,
  me: GatewayIdentity,
  real: RealPath = resolve,
): Attribution {
  const env = facts.env ?? {};
  const port = byPort(facts, env, me.port);
  if (port === 'other') return 'other';
  const dir = byStateDir(facts, env, me, real);
  if (dir !== 'unknown') return dir;
  return port === 'ours' && facts.env !== null ? 'ours' : 'unknown';
}

/** NUL-separated `KEY=value` pairs (/proc/<pid>/environ). Pure. */
export function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
