/**
 * Doctor's adapters: read the crontab, /proc, the launcher, the saved state, one probe, and run
 * the few programs cron would run (`node cli --version`, `openclaw --version`), as facts for the
 * pure checks. Nothing here decides; nothing here writes.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { PathFlags } from '../config/paths.js';
import { loadConfig, type Config } from '../config/load.js';
import { defaultSettings } from '../config/schema.js';
import { ConfigError, errorMessage } from '../errors.js';
import { blockEvery, cronQuote, parseCrontab, renderBlock, type Every } from '../cron/block.js';
import { readCrontab } from '../cron/crontab.js';
import { cliPath, findBlock } from '../cron/install.js';
import { launcherPath, readLauncherInvocation } from '../cron/launcher.js';
import { lowFilesystems } from '../decide/signals/disk.js';
import { DEFAULT_LOG_DIR } from '../disk/observe.js';
import { filesystemsOf } from '../disk/free.js';
import { watchdogFiles } from '../files.js';
import { safeUrl } from '../notify/format.js';
import { probeGateway, probeOptions } from '../probe/index.js';
import {
  BOOT_LOOP_UNCLEAN_THRESHOLD,
  BOOT_LOOP_WINDOW_MS,
  readBootLedger,
} from '../openclaw/boot-ledger.js';
import { gatewayLockPath, readGatewayLock } from '../procs/gateway-lock.js';
import { proveStart } from '../restart/can-start.js';
import { readRecentEvents } from '../store/events.js';
import { loadOutbox } from '../store/outbox.js';
import { readPause } from '../store/pause.js';
import { loadState } from '../store/state.js';
import { packageVersion } from '../version.js';
import type { DoctorFacts, LauncherFacts, OpenclawFacts, RunResult, StartFacts } from './types.js';

const EVERY_SEC: Record<Every, number> = { '30s': 30, '1m': 60, '2m': 120, '5m': 300 };
/** How long a program doctor runs may take (the real `openclaw --version` loads its CLI). */
const RUN_TIMEOUT_MS = 30_000;

/** Runs a program without a shell; ok on exit 0, its first line of output (or why it failed). */
export function runVersion(argv: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { env, timeout: RUN_TIMEOUT_MS, encoding: 'utf8', maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const first = (text: string) => text.trim().split('\n')[0]?.trim() ?? '';
        if (!error) return resolve({ ok: true, output: first(stdout) });
        const why = first(stderr) || first(stdout) || errorMessage(error).split('\n')[0]!;
        const code = (error as { code?: unknown }).code;
        resolve({ ok: false, output: typeof code === 'number' ? `exit ${code}: ${why}` : why });
      },
    );
  });
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A program name resolved as execvp would, on this PATH. */
export function onPath(name: string, path: string): string | null {
  if (isAbsolute(name) || name.includes('/')) return executable(name) ? name : null;
  for (const dir of path.split(delimiter).filter(Boolean))
    if (executable(join(dir, name))) return join(dir, name);
  return null;
}

/** Cron daemons from /proc (no `ps`): cron (Debian), crond / cronie (Fedora, Alpine, busybox). */
export function cronDaemons(proc = '/proc'): { pid: number; name: string }[] | null {
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const found: { pid: number; name: string }[] = [];
  for (const pid of pids) {
    let comm: string;
    try {
      comm = readFileSync(join(proc, pid, 'comm'), 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'cron' || comm === 'crond' || comm === 'cronie')
      found.push({ pid: Number(pid), name: comm });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** Loads the config; a mistake in it is a fact (the rest is read with the defaults). */
function configOrDefaults(flags: PathFlags, env: NodeJS.ProcessEnv) {
  try {
    return { config: loadConfig(flags, env), error: null };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { config: loadConfig(flags, env, defaultSettings()), error: error.message };
  }
}

async function cronFacts(config: Config, env: NodeJS.ProcessEnv) {
  const stateDir = config.paths.stateDir;
  let crontabError: string | null = null;
  let block: DoctorFacts['cron']['block'] = null;
  try {
    const found = findBlock(parseCrontab(await readCrontab()), stateDir, env);
    if (found)
      block = { entries: found.entries, every: blockEvery(found), legacy: found.stateDir === null };
  } catch (error) {
    crontabError = errorMessage(error);
  }
  const every = block?.every ?? '30s';
  const expected = renderBlock(stateDir, cronQuote(launcherPath(stateDir)), every)
    .trimEnd()
    .split('\n')
    .slice(1, -1);
  return { crontabError, block, expectedEntries: expected, daemons: cronDaemons(), every };
}

async function launcherFacts(stateDir: string): Promise<LauncherFacts> {
  const path = launcherPath(stateDir);
  const base = { path, thisCli: cliPath(), thisVersion: packageVersion() };
  let writtenAt: number | null = null;
  try {
    writtenAt = statSync(path).mtimeMs;
  } catch {
    return {
      ...base,
      exists: false,
      writtenAt,
      executable: false,
      node: null,
      cli: null,
      path_: null,
      run: null,
    };
  }
  const inv = readLauncherInvocation(path);
  const env = { ...(inv?.env ?? {}) };
  env.PATH ??= '/usr/bin:/bin'; // what cron gives when the launcher sets none
  const run = inv ? await runVersion([inv.node, inv.cli, '--version'], env) : null;
  return {
    ...base,
    exists: true,
    writtenAt,
    executable: executable(path),
    node: inv?.node ?? null,
    cli: inv?.cli ?? null,
    path_: inv?.env.PATH ?? null,
    run,
  };
}

/** How a check run by cron would start the gateway: the restart's own proof, with cron's PATH.
 * The gateway the lock names is the one a restart would replace, not an obstacle. */
async function startFacts(config: Config, cronEnv: NodeJS.ProcessEnv): Promise<StartFacts> {
  const lock = readGatewayLock(gatewayLockPath(config.paths.stateDir, process.getuid?.() ?? 0));
  return proveStart({ ...config, env: cronEnv }, lock?.pid ?? null);
}

/** The gateway lock held by another OpenClaw role (doctor's sqlite-maintenance, an update). */
function lockRole(stateDir: string): OpenclawFacts['lockRole'] {
  try {
    const raw = JSON.parse(
      readFileSync(gatewayLockPath(stateDir, process.getuid?.() ?? 0), 'utf8').trim(),
    ) as Record<string, unknown>;
    return typeof raw.role === 'string' && typeof raw.pid === 'number'
      ? { role: raw.role, pid: raw.pid }
      : null;
  } catch {
    return null;
  }
}

/** The error of a heartbeat_failed logged by the last check (at or after its time), if any. */
function lastHeartbeatError(events: string, lastCheckAt: number | null): string | null {
  if (lastCheckAt === null) return null;
  const failed = readRecentEvents(events, 50)
    .filter((e) => e.event === 'heartbeat_failed')
    .at(-1);
  if (!failed || Date.parse(String(failed.ts)) < lastCheckAt) return null;
  return typeof failed.error === 'string' ? failed.error : 'unknown error';
}

function tokenSource(config: Config): string | null {
  if (!config.token) return null;
  if (config.settings.gateway.token) return `gateway.token in ${config.paths.watchdogConfig}`;
  if (config.env.OPENCLAW_GATEWAY_TOKEN === config.token) return 'OPENCLAW_GATEWAY_TOKEN';
  return `gateway.auth.token in ${config.paths.openclawConfig}`;
}

export interface DoctorInput {
  flags: PathFlags;
  env: NodeJS.ProcessEnv;
  /** The flags that name this state dir again, for fix lines. */
  fixFlags: string;
  now?: number;
}

/** Every fact doctor's checks read, for one state dir. */
export async function gatherFacts(input: DoctorInput): Promise<DoctorFacts> {
  const { config, error } = configOrDefaults(input.flags, input.env);
  const { settings, paths } = config;
  const now = input.now ?? Date.now();
  const files = watchdogFiles(config);
  const { state } = loadState(files.state);
  const [cron, launcher, probe] = await Promise.all([
    cronFacts(config, input.env),
    launcherFacts(paths.stateDir),
    probeGateway(probeOptions(config)),
  ]);
  // Cron's environment: bare, then what the launcher exports (its PATH above all).
  const launcherEnv = readLauncherInvocation(launcher.path)?.env ?? {};
  const cronEnv: NodeJS.ProcessEnv = {
    ...config.env,
    PATH: '/usr/bin:/bin',
    ...launcherEnv,
  };
  const start = await startFacts(config, cronEnv);
  const pause = readPause(paths.watchdogDir);
  const filesystems = filesystemsOf([paths.stateDir, config.logDir ?? DEFAULT_LOG_DIR]);
  const body = probe.steps.readyz?.body as { suppressed?: unknown } | undefined;
  const suppressed = Array.isArray(body?.suppressed)
    ? body.suppressed.filter((s): s is string => typeof s === 'string')
    : [];
  const hb = settings.notify.heartbeat;
  const ledger = readBootLedger(paths.stateDir, now);
  // The breaker counts open rows when a boot begins; the running gateway's own boot is open too,
  // and is no crash: left out.
  const last = ledger.ok ? ledger.value.last : null;
  const liveBoot =
    last !== null &&
    last.completedAtMs === null &&
    last.startedAtMs >= now - BOOT_LOOP_WINDOW_MS &&
    existsSync(`/proc/${last.pid}`)
      ? 1
      : 0;
  return {
    now,
    stateDir: paths.stateDir,
    fixFlags: input.fixFlags,
    configFile: paths.watchdogConfig,
    configError: error,
    openclawConfig: paths.openclawConfig,
    cron: {
      crontabError: cron.crontabError,
      block: cron.block,
      expectedEntries: cron.expectedEntries,
      daemons: cron.daemons,
    },
    launcher,
    everySec: EVERY_SEC[cron.every],
    lastCheckAt: state.lastCheckAt,
    probe,
    stoppedByUser: probe.verdict !== 'healthy' && state.userStopAt !== null,
    paused: pause && pause.until > now ? { until: pause.until } : null,
    token: { known: config.token !== null, authMode: config.authMode, source: tokenSource(config) },
    start,
    notify: {
      webhooks: settings.notify.webhooks.length,
      ntfy: settings.notify.ntfy.length,
      telegram: settings.notify.telegram.length,
      commands: settings.notify.commands.length,
      heartbeat: hb ? { host: safeUrl(hb.url), format: hb.format } : null,
      heartbeatError: hb ? lastHeartbeatError(files.events, state.lastCheckAt) : null,
      outbox: loadOutbox(files.outbox).outbox.alerts.length,
    },
    disk: { filesystems, low: lowFilesystems(settings.disk, filesystems) },
    openclaw: {
      suppressed,
      lockRole: lockRole(paths.stateDir),
      lastVerdict: state.lastVerdict,
      atWork: state.maintenance?.kind ?? null,
      uncleanBoots: ledger.ok ? Math.max(0, ledger.value.uncleanBoots - liveBoot) : null,
      ledgerError: ledger.ok ? null : ledger.reason,
      breakerTripped: ledger.ok && ledger.value.breakerTripped,
      breakerThreshold: BOOT_LOOP_UNCLEAN_THRESHOLD,
      savedSafeModeSince: state.safeMode?.since ?? null,
      breakerAction: settings.breaker.action,
    },
  };
}
