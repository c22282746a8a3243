/**
 * `status --all`: one line per gateway that has a watchdog block in the crontab. Each block's state
 * dir comes from its marker line; its environment and flags from the launcher install-cron wrote
 * (or, for an old block, from its command line). One probe each, in parallel; no process scan.
 */
import { out } from './cli/terminal.js';
import type { Flags } from './cli/args.js';
import { ago } from './cli/human.js';
import { loadConfig } from './config/load.js';
import { parseCrontab } from './cron/block.js';
import { readCrontab } from './cron/crontab.js';
import { argsToFlags, blockStateDir, CARRIED, legacyInvocation } from './cron/install.js';
import { launcherPath, readLauncher } from './cron/launcher.js';
import { errorMessage } from './errors.js';
import { probeGateway, probeOptions } from './probe/index.js';
import { loadState } from './store/state.js';
import { watchdogFiles } from './files.js';
import { iso } from './units.js';

export interface GatewayLine {
  stateDir: string;
  host: string | null;
  port: number | null;
  state: string;
  lastCheckAt: string | null;
  lastVerdict: string | null;
  error?: string;
}

async function one(
  stateDir: string,
  inv: { env: Record<string, string>; args: string[] } | null,
  env: NodeJS.ProcessEnv,
): Promise<GatewayLine> {
  const base: NodeJS.ProcessEnv = { ...env };
  for (const name of CARRIED) delete base[name]; // the block's own variables, not this shell's
  const flags = inv ? argsToFlags(inv.args) : { 'state-dir': stateDir };
  const str = (n: string) => (typeof flags[n] === 'string' ? (flags[n] as string) : undefined);
  try {
    const config = loadConfig(
      { stateDir: str('state-dir') ?? stateDir, profile: str('profile'), config: str('config') },
      { ...base, ...inv?.env },
    );
    const { state } = loadState(watchdogFiles(config).state);
    const probe = await probeGateway(probeOptions(config));
    return {
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
    return { stateDir, ...e, state: 'error', error: errorMessage(error) };
  }
}

export async function gatherAll(env: NodeJS.ProcessEnv): Promise<GatewayLine[]> {
  const { blocks } = parseCrontab(await readCrontab());
  return Promise.all(
    blocks.map((b) => {
      const stateDir = blockStateDir(b, env);
      const inv = b.stateDir === null ? legacyInvocation(b) : readLauncher(launcherPath(stateDir));
      return one(stateDir, inv, env);
    }),
  );
}

export function formatAll(lines: GatewayLine[], now = Date.now()): string {
  if (lines.length === 0) return 'no openclaw-watchdog block in your crontab\n';
  const width = Math.max(...lines.map((l) => l.stateDir.length));
  return lines
    .map((l) => {
      const where = l.port === null ? '-' : `${l.host}:${l.port}`;
      const tail = l.error
        ? l.error
        : `checked ${ago(l.lastCheckAt, now)}${l.lastVerdict ? ` (${l.lastVerdict})` : ''}`;
      return `${l.stateDir.padEnd(width)}  ${where.padEnd(21)}  ${l.state.toUpperCase().padEnd(8)}  ${tail}`;
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
