import { otherGatewayOnPort } from '../procs/other-on-port.js';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/load.js';
import { configSecrets } from '../config/secrets.js';
import type { RestartOutcome } from '../decide/liveness/after-restart.js';
import { watchdogFiles } from '../files.js';
import { readBootClock } from '../clock.js';
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
  /** The longest one probe of verify may take (its timeout): a longer gap is a stall. */
  probeTimeoutMs?: number;
  /** The boot-time clock in ms (/proc/uptime; null off Linux): the boot is measured on it. */
  bootClock?: () => number | null;
  /** Called once the gateway was started (before verify waits for it): the check records it. */
  onStarted?: (started: StartedGateway) => void;
}

/** A start that went through, before verify: what a check killed during verify must still record. */
export type StartedGateway = Pick<RestartOutcome, 'method' | 'pid' | 'startTicks' | 'startedAt'>;

/** Between two probes verify sleeps this long (or until the started process exits). */
const VERIFY_POLL_MS = 250;
/** On top of a probe's timeout and the poll: the most scheduling noise one round may carry. */
const STALL_SLACK_MS = 1000;

const uptimeMs = (): number | null => readBootClock()?.uptimeMs ?? null;

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
  const bootAtStart = (deps.bootClock ?? uptimeMs)();
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
  return verify(config, deps, started.method, started.spawned, startedAt, bootAtStart);
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
  bootAtStart: number | null,
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
  deps.onStarted?.(base);
  const deadline = startedAt + timeoutSec * 1000;
  // The boot is measured on the boot-time clock, from the start to the first healthy probe; a round
  // of verify that took longer than a probe and the poll can (SIGSTOP, a suspended host, a starved
  // machine) was this check stalling, not the gateway booting: that sample is discarded.
  const clock = deps.bootClock ?? uptimeMs;
  const stallMs =
    (deps.probeTimeoutMs ?? config.settings.probe.timeoutMs) + VERIFY_POLL_MS + STALL_SLACK_MS;
  let last = bootAtStart;
  let stalled = false;
  const tick = (): number | null => {
    const t = clock();
    if (t !== null && last !== null && t - last > stallMs) stalled = true;
    last = t ?? last;
    return t;
  };
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
    tick();
    const verdict = (await deps.probe()).verdict;
    const at = tick();
    if (verdict === 'healthy') {
      // Answered by another state dir's gateway that took our port while ours booted: not ours
      // (ours fails to bind); a port conflict, said by the caller (after-restart.ts).
      const other = otherGatewayOnPort(config);
      if (other) {
        const error = `port ${config.port} was taken by another state dir's gateway (pid ${other.pid})`;
        return { ...base, result: 'failed', endedAt: deps.now(), error, conflict: other };
      }
      const bootMs = at !== null && bootAtStart !== null ? at - bootAtStart : null;
      const boot = stalled ? { stalled } : bootMs !== null ? { bootMs } : {};
      return { ...base, result: 'healthy', endedAt: deps.now(), ...boot };
    }
    // A command that exits 0 may have handed the gateway to something else: keep verifying.
    const ended = seen.exit;
    if (ended !== null && (ended.code !== 0 || ended.error)) return failedWith(ended);
    await Promise.race([sleep(VERIFY_POLL_MS), spawned?.exited ?? sleep(VERIFY_POLL_MS)]);
  }
  const ended = seen.exit;
  if (ended === null) return { ...base, result: 'pending', endedAt: deps.now() };
  return failedWith(ended, `not healthy within ${timeoutSec} s`);
}
