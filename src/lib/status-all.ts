/**
 * `status --all`: one line per gateway that has a watchdog block in the crontab. Each block's state
 * dir comes from its marker line; its environment and flags from the launcher install-cron wrote
 * (or, for an old block, from its command line). One probe each, in parallel; no process scan.
 */
import { out } from './cli/terminal.js';
import type { Flags } from './cli/args.js';
import { ago } from './cli/human.js';
import { loadConfig } from './config/load.js';
import { blockEvery, parseCrontab, type Every } from './cron/block.js';
import type { Config } from './config/load.js';
import { gatewayName } from './fleet/names.js';
import { readCrontab } from './cron/crontab.js';
import { argsToFlags, blockStateDir, CARRIED, legacyInvocation } from './cron/install.js';
import { launcherPath, readLauncher } from './cron/launcher.js';
import { errorMessage } from './errors.js';
import { probeGateway, probeOptions } from './probe/index.js';
import { loadState } from './store/state.js';
import { watchdogFiles } from './files.js';
import { iso } from './units.js';

export interface GatewayLine {
  /** The gateway's name in metrics and /health/<gateway> (fleet/names.ts). */
  gateway: string;
  stateDir: string;
  host: string | null;
  port: number | null;
  state: string;
  lastCheckAt: string | null;
  lastVerdict: string | null;
  error?: string;
}

/** One watchdog of this user, as its crontab block runs it: its config, or why it did not load. */
export interface Watchdog {
  gateway: string;
  stateDir: string;
  /** The block's cadence in seconds (30, 60, 120, 300), when its entries say. */
  everySec: number | null;
  config: Config | null;
  error?: string;
}

const EVERY_SEC: Record<Every, number> = { '30s': 30, '1m': 60, '2m': 120, '5m': 300 };

function load(
  stateDir: string,
  inv: { env: Record<string, string>; args: string[] } | null,
  env: NodeJS.ProcessEnv,
  everySec: number | null,
): Watchdog {
  const base: NodeJS.ProcessEnv = { ...env };
  for (const name of CARRIED) delete base[name]; // the block's own variables, not this shell's
  const flags = inv ? argsToFlags(inv.args) : { 'state-dir': stateDir };
  const str = (n: string) => (typeof flags[n] === 'string' ? (flags[n] as string) : undefined);
  const blockEnv = { ...base, ...inv?.env };
  const paths = { stateDir: str('state-dir') ?? stateDir, profile: str('profile') };
  try {
    const config = loadConfig({ ...paths, config: str('config') }, blockEnv);
    return { gateway: gatewayName(config.paths), stateDir, everySec, config };
  } catch (error) {
    // Named all the same (by its state dir): a broken config still shows in the fleet.
    const home = blockEnv.OPENCLAW_HOME || blockEnv.HOME || '/';
    const gateway = gatewayName({ home, profile: paths.profile ?? null, stateDir });
    return { gateway, stateDir, everySec, config: null, error: errorMessage(error) };
  }
}

/** Every watchdog in this user's crontab (what `status --all` lists), in crontab order. */
export async function watchdogs(env: NodeJS.ProcessEnv): Promise<Watchdog[]> {
  const { blocks } = parseCrontab(await readCrontab());
  return blocks.map((b) => {
    const stateDir = blockStateDir(b, env);
    const inv = b.stateDir === null ? legacyInvocation(b) : readLauncher(launcherPath(stateDir));
    const every = blockEvery(b);
    return load(stateDir, inv, env, every ? EVERY_SEC[every] : null);
  });
}

async function one(w: Watchdog): Promise<GatewayLine> {
  const { gateway, stateDir } = w;
  try {
    if (!w.config) throw new Error(w.error ?? 'config did not load');
    const config = w.config;
    const { state } = loadState(watchdogFiles(config).state);
    const probe = await probeGateway(probeOptions(config));
    return {
      gateway,
      stateDir,
      host: config.host,
      port: config.port,
      // Stopped on purpose, as the last check decided it (status shows why).
      state: probe.verdict !== 'healthy' && state.userStopAt !== null ? 'stopped' : probe.verdict,
      lastCheckAt: state.lastCheckAt === null ? null : iso(state.lastCheckAt),
      lastVerdict: state.lastVerdict,
    };
  } catch (error) {
    const e = { host: null, port: null, lastCheckAt: null, lastVerdict: null };
    return { gateway, stateDir, ...e, state: 'error', error: errorMessage(error) };
  }
}

export async function gatherAll(env: NodeJS.ProcessEnv): Promise<GatewayLine[]> {
  return Promise.all((await watchdogs(env)).map(one));
}

export function formatAll(lines: GatewayLine[], now = Date.now()): string {
  if (lines.length === 0) return 'no openclaw-watchdog block in your crontab\n';
  const width = Math.max(...lines.map((l) => l.stateDir.length));
  const named = Math.max(...lines.map((l) => l.gateway.length));
  return lines
    .map((l) => {
      const where = l.port === null ? '-' : `${l.host}:${l.port}`;
      const tail = l.error
        ? l.error
        : `checked ${ago(l.lastCheckAt, now)}${l.lastVerdict ? ` (${l.lastVerdict})` : ''}`;
      return `${l.gateway.padEnd(named)}  ${l.stateDir.padEnd(width)}  ${where.padEnd(21)}  ${l.state.toUpperCase().padEnd(8)}  ${tail}`;
    })
    .join('\n')
    .concat('\n');
}

/** Exit 0 when every gateway is healthy, starting or stopped by the user, 1 otherwise. */
export async function runStatusAll(flags: Flags): Promise<number> {
  const lines = await gatherAll(process.env);
  out(flags.json ? `${JSON.stringify(lines)}\n` : formatAll(lines));
  return lines.every((l) => ['healthy', 'starting', 'stopped'].includes(l.state)) ? 0 : 1;
}
