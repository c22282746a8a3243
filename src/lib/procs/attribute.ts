import { dirname, join, resolve } from 'node:path';
import { parsePortEnv } from '../config/paths.js';

/** Which gateway this watchdog looks after. */
export interface GatewayIdentity {
  port: number;
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

const same = (a: string, b: string) => resolve(a) === resolve(b);

/**
 * Attributes a gateway-titled process to this watchdog's gateway, the way OpenClaw resolves port
 * and state dir: the port (`--port` > `OPENCLAW_GATEWAY_PORT`) when it shows; else the state dir
 * (the state database it holds open, `OPENCLAW_STATE_DIR`, `--profile`/`OPENCLAW_PROFILE` under
 * `OPENCLAW_HOME`/`HOME`); else `OPENCLAW_CONFIG_PATH`. `openclaw --profile X` sets its variables
 * only inside the process (they never show in /proc/<pid>/environ) and argv is overwritten after
 * ~3 s: a gateway that shows only its HOME may be the default or any profile of that HOME, so it is
 * `unknown` when this watchdog's state dir is one of those, `other` when it cannot be. Pure.
 */
export function attribute(facts: ProcFacts, me: GatewayIdentity): Attribution {
  const env = facts.env ?? {};
  const argPort = flag(facts.args, '--port');
  const port = parsePortEnv(argPort ?? env.OPENCLAW_GATEWAY_PORT);
  if (port !== null) return port === me.port ? 'ours' : 'other';
  const open = facts.openStateDirs ?? [];
  if (open.length) return open.some((d) => same(d, me.stateDir)) ? 'ours' : 'other';
  if (env.OPENCLAW_STATE_DIR) return same(env.OPENCLAW_STATE_DIR, me.stateDir) ? 'ours' : 'other';
  const rawProfile = flag(facts.args, '--profile') ?? env.OPENCLAW_PROFILE;
  const profile = rawProfile && rawProfile !== 'default' ? rawProfile : null;
  const home = env.OPENCLAW_HOME || env.HOME;
  if (home && profile)
    return same(join(home, `.openclaw-${profile}`), me.stateDir) ? 'ours' : 'other';
  if (env.OPENCLAW_CONFIG_PATH)
    return same(env.OPENCLAW_CONFIG_PATH, me.configPath) ? 'ours' : 'other';
  if (!home) return 'unknown';
  const dir = resolve(me.stateDir);
  const parent = dirname(dir);
  const name = dir.slice(parent.length + 1);
  const underHome =
    parent === resolve(home) && /^(\.openclaw|\.clawdbot|\.openclaw-.+)$/.test(name);
  return underHome ? 'unknown' : 'other';
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
