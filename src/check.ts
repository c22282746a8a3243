import { join } from 'node:path';
import type { Config } from './lib/config/load.js';
import { afterRestart, type RestartOutcome } from './lib/decide/after-restart.js';
import { decide } from './lib/decide/decide.js';
import type { Action, Status } from './lib/decide/types.js';
import { observe } from './lib/observe.js';
import { probeGateway } from './lib/probe/index.js';
import type { ProbeResult } from './lib/probe/types.js';
import { stopTrees, type StopResult } from './lib/procs/kill.js';
import { restartGateway } from './lib/restart/index.js';
import { ensurePrivateDir } from './lib/store/atomic.js';
import { appendEvents, type WatchdogEvent } from './lib/store/events.js';
import { acquireCheckLock } from './lib/store/lock.js';
import { loadState, saveState } from './lib/store/state.js';

export const EXIT_LOCK_BUSY = 75;

export interface CheckOptions {
  dryRun: boolean;
  /** Narration for --verbose (stderr). */
  say: (line: string) => void;
  now?: () => number;
}

export interface CheckReport {
  status: Status | 'lock-busy';
  detail: string;
  exitCode: number;
  dryRun: boolean;
  probe: ProbeResult | null;
  actions: Action[];
  events: WatchdogEvent[];
  stop?: StopResult;
  restart?: RestartOutcome;
  ms: number;
}

export function watchdogFiles(config: Config) {
  const dir = config.paths.watchdogDir;
  return { dir, state: join(dir, 'state.json'), events: join(dir, 'events.jsonl') };
}

/** One supervision run: lock, observe, decide (pure), act, verify, record. */
export async function runCheck(config: Config, options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const files = watchdogFiles(config);
  const { settings } = config;
  const logOptions = {
    maxBytes: settings.events.maxBytes,
    maxFiles: settings.events.maxFiles,
    secrets: [config.token ?? '', ...settings.notify.webhooks.map((w) => w.url)].filter(Boolean),
  };
  const report = (
    fields: Partial<CheckReport> & Pick<CheckReport, 'status' | 'detail' | 'exitCode'>,
  ): CheckReport => ({
    dryRun: options.dryRun,
    probe: null,
    actions: [],
    events: [],
    ms: now() - started,
    ...fields,
  });

  let release: (() => Promise<void>) | null = null;
  if (!options.dryRun) {
    ensurePrivateDir(files.dir);
    release = await acquireCheckLock(files.dir, settings.lock.staleSec);
    if (!release) {
      const events: WatchdogEvent[] = [{ level: 'info', event: 'lock_busy' }];
      appendEvents(files.events, events, now(), logOptions);
      return report({
        status: 'lock-busy',
        detail: 'another check is running',
        exitCode: EXIT_LOCK_BUSY,
        events,
      });
    }
  }
  try {
    const loaded = loadState(files.state);
    const events: WatchdogEvent[] = [];
    if (loaded.problem)
      events.push({ level: 'warn', event: 'state_reset', problem: loaded.problem });
    const probeOnce = () =>
      probeGateway({ host: config.host, port: config.port, timeoutMs: settings.probe.timeoutMs });
    const probe = await probeOnce();
    options.say(`probe: ${probe.verdict} (${probe.reason}, ${probe.ms} ms)`);
    const obs = await observe(config, probe, loaded.state, now());
    const decision = decide(settings, loaded.state, obs);
    options.say(`decision: ${decision.status}: ${decision.detail}`);
    events.push(...decision.events.map((e) => ({ ...e, at: obs.now })));
    let state = decision.state;
    let exitCode: number = decision.exitCode;
    const out = report({
      status: decision.status,
      detail: decision.detail,
      exitCode,
      probe,
      actions: decision.actions,
      events,
    });
    if (options.dryRun) return out;

    for (const action of decision.actions) {
      if (action.type === 'stop') {
        options.say(
          `stop: ${action.targets.map((t) => t.pid).join(', ')} (SIGTERM, SIGKILL after ${settings.restart.stopTimeoutSec} s)`,
        );
        out.stop = await stopTrees(
          action.targets,
          settings.restart.stopTimeoutSec * 1000,
          obs.table.length ? obs.table : undefined,
        );
        events.push({
          level: 'info',
          event: 'gateway_stopped',
          at: now(),
          reason: action.reason,
          pids: out.stop.stopped,
          killed: out.stop.killed,
          survivors: out.stop.survivors,
        });
      } else {
        const verifyProbe = () =>
          probeGateway({
            host: config.host,
            port: config.port,
            timeoutMs: Math.min(settings.probe.timeoutMs, 2000),
          });
        out.restart = await restartGateway(config, { probe: verifyProbe, now, say: options.say });
        const folded = afterRestart(state, out.restart, action.reason);
        state = folded.state;
        events.push(...folded.events);
        exitCode = folded.exitCode;
        out.detail = `${out.detail}; restart ${out.restart.result}`;
      }
    }
    saveState(files.state, state);
    appendEvents(files.events, events, now(), logOptions);
    return { ...out, exitCode, ms: now() - started };
  } finally {
    await release?.().catch(() => {});
  }
}
