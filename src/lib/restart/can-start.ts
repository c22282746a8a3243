import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Config } from '../config/load.js';
import { gatewayEnv, systemdUserEnv } from './environment.js';
import { findOpenclaw } from './find-openclaw.js';
import { liveLockHolder } from './lock-guard.js';
import { findUnit, systemctl } from './systemd.js';

/** How long the proof may take: `openclaw --version` answers in 0.2–0.5 s (80 ms CPU, 70 MB). */
const PROOF_TIMEOUT_MS = 10_000;

/** A start is possible by `method`, or not, with why and the fix (one line each). */
export type StartProof =
  | { ok: true; method: 'command' | 'systemd' | 'openclaw'; proof: string }
  | {
      ok: false;
      method: 'command' | 'systemd' | 'openclaw' | 'none' | 'lock';
      error: string;
      fix: string;
    };

const CONFIG_FILE = (config: Config) => config.paths.watchdogConfig;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** argv[0] as spawn resolves it: a path as is, a bare name on the child's PATH. */
function resolveCommand(name: string, path: string): string | null {
  if (name.includes('/')) return isAbsolute(name) && executable(name) ? name : null;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    if (executable(file)) return file;
  }
  return null;
}

/** Runs argv, bounded; resolves with the exit code (null: did not run, or timed out) and output. */
function runs(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string; error?: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = argv as [string, ...string[]];
    execFile(
      command,
      args,
      { env, timeout: PROOF_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim().split('\n').at(-1)?.slice(0, 400) ?? '';
        if (!error) return resolve({ code: 0, output });
        const code = typeof error.code === 'number' ? error.code : null;
        if (code !== null && !error.killed) return resolve({ code, output });
        const why = error.killed
          ? `no answer within ${PROOF_TIMEOUT_MS / 1000} s`
          : String(error.code ?? error.message);
        resolve({ code, output, error: why });
      },
    );
  });
}

/**
 * Before a gateway that still serves is stopped (a graceful restart: memory, a channel), proof
 * that one can be started again, by the method the restart will use (restart/index.ts start):
 * `restart.command`'s executable resolves on the gateway's PATH; the systemd unit is known to
 * the user manager; `openclaw` is found and `openclaw --version` runs, with the environment and
 * PATH the gateway would get (cron's). And no live gateway of this state dir other than `target`
 * holds its lock (a start would fail, exit 78). Bounded: PROOF_TIMEOUT_MS. Spawns no gateway.
 */
export async function proveStart(config: Config, target: number | null): Promise<StartProof> {
  const holder = liveLockHolder(config, target);
  if (holder) return { ok: false, method: 'lock', ...holder };
  const { settings, paths, env } = config;
  const command = settings.restart.command;
  if (command) {
    const childEnv = gatewayEnv(env, [], paths);
    const file = resolveCommand(command[0]!, childEnv.PATH ?? '');
    if (!file)
      return {
        ok: false,
        method: 'command',
        error: `restart.command: ${command[0]} is not an executable file${command[0]!.includes('/') ? '' : ` on PATH (${childEnv.PATH})`}`,
        fix: `give restart.command an absolute path to an executable in ${CONFIG_FILE(config)}`,
      };
    return { ok: true, method: 'command', proof: file };
  }
  const unit = findUnit(paths.home, env, paths.profile);
  if (unit) {
    const r = await systemctl(
      ['show', unit, '--property=LoadState'],
      systemdUserEnv(env, process.getuid?.() ?? 0),
    );
    if (r.code === 0 && /LoadState=loaded/.test(r.output))
      return { ok: true, method: 'systemd', proof: unit };
    return {
      ok: false,
      method: 'systemd',
      error: `systemctl --user cannot load ${unit}: ${r.output.split('\n').at(-1) || `exit ${String(r.code)}`}`,
      fix: `check \`systemctl --user status ${unit}\` (loginctl enable-linger $USER for a manager while logged out), or set restart.command in ${CONFIG_FILE(config)}`,
    };
  }
  const openclaw = findOpenclaw(settings.restart.openclaw, paths.home, env);
  if (!openclaw)
    return {
      ok: false,
      method: 'none',
      error: `openclaw not found (${settings.restart.openclaw ?? `not on PATH ${env.PATH ?? '(unset)'} nor in the usual npm locations`})`,
      fix: `set restart.openclaw (the path \`command -v openclaw\` prints) or restart.command in ${CONFIG_FILE(config)}, or run install-cron again from a shell where openclaw works`,
    };
  const childEnv = gatewayEnv(env, [dirname(openclaw)], paths);
  const r = await runs([openclaw, '--version'], childEnv);
  if (r.code === 0) return { ok: true, method: 'openclaw', proof: `${openclaw} (${r.output})` };
  return {
    ok: false,
    method: 'openclaw',
    error: `${openclaw} --version failed (${r.error ?? `exit ${String(r.code)}`})${r.output ? `: ${r.output}` : ''}`,
    fix: `make \`${openclaw} --version\` work with PATH ${childEnv.PATH} (OpenClaw needs Node 24 beside it), or set restart.openclaw / restart.command in ${CONFIG_FILE(config)}`,
  };
}
