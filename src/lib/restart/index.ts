import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/load.js';
import { configSecrets } from '../config/secrets.js';
import type { RestartOutcome } from '../decide/liveness/after-restart.js';
import { watchdogFiles } from '../files.js';
import type { ProbeResult } from '../probe/types.js';
import { redactText } from '../redact.js';
import { gatewayEnv, systemdUserEnv } from './environment.js';
import { findOpenclaw } from './find-openclaw.js';
import { spawnDetached, tailSince, type Spawned } from './spawn.js';
import { findUnit, restartUnit } from './systemd.js';

export interface RestartDeps {
  probe: () => Promise<ProbeResult>;
  now: () => number;
  say: (line: string) => void;
}

type Method = RestartOutcome['method'];
type Exit = { code: number | null; signal: string | null; error?: string };
/** How the start went: a process to verify (null: systemd's, not ours), or failed already. */
type Started =
  { method: Method; spawned: Spawned | null } | { method: Method; failed: Partial<RestartOutcome> };

/**
 * Starts the gateway by the first method that applies (restart.command; the systemd user unit;
 * `openclaw gateway run`), then waits up to restart.verifyTimeoutSec for the probe to pass.
 */
export async function restartGateway(config: Config, deps: RestartDeps): Promise<RestartOutcome> {
  const startedAt = deps.now();
  const started = await start(config, deps);
  if ('failed' in started)
    return {
      method: started.method,
      pid: null,
      startTicks: null,
      startedAt,
      endedAt: deps.now(),
      result: 'failed',
      ...started.failed,
    };
  return verify(config, deps, started.method, started.spawned, startedAt);
}

async function start(config: Config, deps: RestartDeps): Promise<Started> {
  const { settings, paths, env } = config;
  const logFile = watchdogFiles(config).gatewayLog;
  if (settings.restart.command) {
    deps.say(`restart: spawning restart.command (${settings.restart.command[0]})`);
    const childEnv = gatewayEnv(env, [], paths);
    return {
      method: 'command',
      spawned: spawnDetached(settings.restart.command, childEnv, paths.home, logFile),
    };
  }
  const unit = findUnit(paths.home, env, paths.profile);
  if (unit) {
    deps.say(`restart: systemctl --user restart ${unit}`);
    const r = await restartUnit(unit, systemdUserEnv(env, process.getuid?.() ?? 0));
    if (r.code !== 0)
      return { method: 'systemd', failed: { exitCode: r.code, output: r.output.slice(-2000) } };
    return { method: 'systemd', spawned: null };
  }
  const openclaw = findOpenclaw(settings.restart.openclaw, paths.home, env);
  if (!openclaw) {
    const where =
      settings.restart.openclaw ??
      'PATH and the usual npm locations (~/.npm-global/bin, ~/.nvm, ~/.local/bin, /usr/local/bin)';
    return {
      method: 'none',
      failed: {
        error: `openclaw not found (looked in ${where}); set restart.openclaw or restart.command`,
      },
    };
  }
  const args = ['gateway', 'run', '--port', String(config.port)];
  if (!config.bind) args.push('--bind', 'loopback');
  deps.say(`restart: ${openclaw} ${args.join(' ')} (state dir ${paths.stateDir})`);
  // `openclaw` starts with `#!/usr/bin/env node`: put its own directory first, where npm/nvm keep node.
  // The state dir / config / profile go along, or the gateway looks in ~/.openclaw (exit 78).
  const childEnv = gatewayEnv(env, [dirname(openclaw)], paths);
  return {
    method: 'openclaw',
    spawned: spawnDetached([openclaw, ...args], childEnv, paths.home, logFile),
  };
}

/** Probes until healthy, the started process fails, or restart.verifyTimeoutSec is up. */
async function verify(
  config: Config,
  deps: RestartDeps,
  method: Method,
  spawned: Spawned | null,
  startedAt: number,
): Promise<RestartOutcome> {
  const timeoutSec = config.settings.restart.verifyTimeoutSec;
  // Never a pid without its start time: a pid alone may name any process later.
  const startTicks = spawned?.startTicks ?? null;
  const base = {
    method,
    pid: startTicks === null ? null : (spawned?.pid ?? null),
    startTicks,
    startedAt,
  };
  const deadline = startedAt + timeoutSec * 1000;
  const seen: { exit: Exit | null } = { exit: null };
  void spawned?.exited.then((e) => (seen.exit = e));
  const failedWith = (e: Exit, error?: string): RestartOutcome => {
    const output = spawned
      ? redactText(tailSince(spawned.logFile, spawned.logOffset), configSecrets(config))
      : '';
    const why = e.error ?? error;
    return {
      ...base,
      result: 'failed',
      endedAt: deps.now(),
      exitCode: e.code,
      signal: e.signal,
      output,
      ...(why ? { error: why } : {}),
    };
  };
  while (deps.now() < deadline) {
    if ((await deps.probe()).verdict === 'healthy')
      return { ...base, result: 'healthy', endedAt: deps.now() };
    // A command that exits 0 may have handed the gateway to something else: keep verifying.
    const ended = seen.exit;
    if (ended !== null && (ended.code !== 0 || ended.error)) return failedWith(ended);
    await Promise.race([sleep(250), spawned?.exited ?? sleep(250)]);
  }
  const ended = seen.exit;
  if (ended === null) return { ...base, result: 'pending', endedAt: deps.now() };
  return failedWith(ended, `not healthy within ${timeoutSec} s`);
}
