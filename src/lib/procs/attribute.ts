import { join, resolve } from 'node:path';
import { parsePortEnv } from '../config/paths.js';

/** Which gateway this watchdog looks after (shared/openclaw-gateway.md §1). */
export interface GatewayIdentity {
  port: number;
  stateDir: string;
  profile: string | null;
  configPath: string;
}

/** What a process tells about itself: argv (empty once a title replaced it) and its environment. */
export interface ProcFacts {
  args: string[];
  /** null when it cannot be read (another user's process, or no /proc). */
  env: Record<string, string> | null;
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
 * Attributes a gateway-titled process to this watchdog's gateway, the way OpenClaw itself
 * resolves port and state dir: the port (`--port` > `OPENCLAW_GATEWAY_PORT`) when it shows, else
 * the state dir (`OPENCLAW_STATE_DIR` > `--profile`/`OPENCLAW_PROFILE` > `~/.openclaw`, home from
 * `OPENCLAW_HOME`/`HOME`), else `OPENCLAW_CONFIG_PATH`. Pure.
 */
export function attribute(facts: ProcFacts, me: GatewayIdentity): Attribution {
  const env = facts.env ?? {};
  const argPort = flag(facts.args, '--port');
  const port =
    argPort !== undefined ? parsePortEnv(argPort) : parsePortEnv(env.OPENCLAW_GATEWAY_PORT);
  if (port !== null) return port === me.port ? 'ours' : 'other';
  if (!facts.env) return 'unknown';
  const rawProfile = flag(facts.args, '--profile') ?? env.OPENCLAW_PROFILE;
  const profile = rawProfile && rawProfile !== 'default' ? rawProfile : null;
  if (env.OPENCLAW_STATE_DIR) return same(env.OPENCLAW_STATE_DIR, me.stateDir) ? 'ours' : 'other';
  const home = env.OPENCLAW_HOME || env.HOME;
  if (home) {
    if (profile) return same(join(home, `.openclaw-${profile}`), me.stateDir) ? 'ours' : 'other';
    const dirs = [join(home, '.openclaw'), join(home, '.clawdbot')];
    return dirs.some((d) => same(d, me.stateDir)) ? 'ours' : 'other';
  }
  if (env.OPENCLAW_CONFIG_PATH)
    return same(env.OPENCLAW_CONFIG_PATH, me.configPath) ? 'ours' : 'other';
  return 'unknown';
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
