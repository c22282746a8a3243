import { dirname, join } from 'node:path';
import type { Config } from '../config/load.js';
import type { RestartOutcome } from '../decide/after-restart.js';
import type { ProbeResult } from '../probe/types.js';
import { redact } from '../store/events.js';
import { gatewayEnv, systemdUserEnv } from './environment.js';
import { findOpenclaw } from './find-openclaw.js';
import { spawnDetached, tailSince, type Spawned } from './spawn.js';
import { findUnit, restartUnit } from './systemd.js';

export interface RestartDeps {
  probe: () => Promise<ProbeResult>;
  now: () => number;
  say: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the gateway by the first method that applies (restart.command; the systemd user unit;
 * `openclaw gateway run`), then waits up to restart.verifyTimeoutSec for the probe to pass.
 */
export async function restartGateway(config: Config, deps: RestartDeps): Promise<RestartOutcome> {
  const { settings, paths, env } = config;
  const startedAt = deps.now();
  const failed = (
    method: RestartOutcome['method'],
    fields: Partial<RestartOutcome>,
  ): RestartOutcome => ({
    method,
    pid: null,
    startTicks: null,
    startedAt,
    endedAt: deps.now(),
    result: 'failed',
    ...fields,
  });
  const logFile = join(paths.watchdogDir, 'gateway.log');

  if (settings.restart.command) {
    deps.say(`restart: spawning restart.command (${settings.restart.command[0]})`);
    return verify(
      'command',
      spawnDetached(settings.restart.command, gatewayEnv(env, [], paths), paths.home, logFile),
    );
  }
  const unit = findUnit(paths.home, env, paths.profile);
  if (unit) {
    deps.say(`restart: systemctl --user restart ${unit}`);
    const r = await restartUnit(unit, systemdUserEnv(env, process.getuid?.() ?? 0));
    if (r.code !== 0) return failed('systemd', { exitCode: r.code, output: r.output.slice(-2000) });
    return verify('systemd', null);
  }
  const openclaw = findOpenclaw(settings.restart.openclaw, paths.home, env);
  if (!openclaw) {
    const where =
      settings.restart.openclaw ??
      'PATH and the usual npm locations (~/.npm-global/bin, ~/.nvm, ~/.local/bin, /usr/local/bin)';
    return failed('none', {
      error: `openclaw not found (looked in ${where}); set restart.openclaw or restart.command`,
    });
  }
  const args = ['gateway', 'run', '--port', String(config.port)];
  if (!config.bind) args.push('--bind', 'loopback');
  deps.say(`restart: ${openclaw} ${args.join(' ')} (state dir ${paths.stateDir})`);
  // `openclaw` starts with `#!/usr/bin/env node`: put its own directory first, where npm/nvm keep node.
  // The state dir / config / profile go along, or the gateway looks in ~/.openclaw (exit 78).
  const childEnv = gatewayEnv(env, [dirname(openclaw)], paths);
  return verify('openclaw', spawnDetached([openclaw, ...args], childEnv, paths.home, logFile));

  async function verify(
    method: RestartOutcome['method'],
    spawned: Spawned | null,
  ): Promise<RestartOutcome> {
    const pid = spawned?.pid ?? null;
    // Never a pid without its start time: a pid alone may name any process later.
    const startTicks = spawned?.startTicks ?? null;
    const base = { method, pid: startTicks === null ? null : pid, startTicks, startedAt };
    const deadline = startedAt + settings.restart.verifyTimeoutSec * 1000;
    const seen: { exit: Exit | null } = { exit: null };
    void spawned?.exited.then((e) => (seen.exit = e));
    const failedWith = (e: Exit, error?: string): RestartOutcome => {
      const secrets = config.token ? [config.token] : [];
      const output = spawned ? redact(tailSince(spawned.logFile, spawned.logOffset), secrets) : '';
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
    return failedWith(ended, `not healthy within ${settings.restart.verifyTimeoutSec} s`);
  }
}

type Exit = { code: number | null; signal: string | null; error?: string };
