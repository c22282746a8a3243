import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bareEnv, runCli } from './cli.js';
import { tempDir } from './dirs.js';
import { freePort } from './net.js';
import { FAKE_GATEWAY } from './processes.js';

export interface Home {
  home: string;
  port: number;
  stateDir: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  /** The environment this home's gateway runs with, as the watchdog starts it (its state dir
   * named), and that its helpers inherit: what attributes a process to this home. */
  own: NodeJS.ProcessEnv;
  events(): Record<string, unknown>[];
  eventNames(): string[];
  state(): Record<string, unknown>;
  check(args?: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runCli>;
  /** Replaces the watchdog's config.json. */
  configure(settings: Record<string, unknown>): void;
}

/**
 * Short timers for tests; every one is a documented config key. lock.staleSec is long on purpose:
 * a check whose lock goes unrefreshed that long (it is refreshed every staleSec / 3) calls it lost,
 * so 2 s made a check stalled ~1 s by a loaded 2-core host lose it (lock_lost, exit 1); 20 s
 * survives stalls of ~13 s. A test of a takeover dates the lock back (`ageCheckLock`).
 */
export const FAST = {
  probe: { timeoutMs: 600, hungAfterSec: 1, startupGraceSec: 0 },
  restart: { verifyTimeoutSec: 15, stopTimeoutSec: 1, baseDelaySec: 60 },
  lock: { staleSec: 20 },
};

/**
 * Dates `h`'s check lock an hour back, as if its holder (killed, or stopped) had not refreshed it
 * for longer than any lock.staleSec: the next check takes it over at once. No lock: nothing to do.
 */
export function ageCheckLock(h: Home): void {
  const past = new Date(Date.now() - 3600_000);
  try {
    utimesSync(join(h.dir, 'check.lock'), past, past);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The argv that starts the fake gateway on `port` with extra flags. */
export const fakeGatewayCommand = (port: number, flags: string[] = []) => [
  process.execPath,
  FAKE_GATEWAY,
  '--port',
  String(port),
  ...flags,
];

/** A private HOME with ~/.openclaw/watchdog/config.json holding `settings`. */
export async function makeHome(
  settings: Record<string, unknown> = {},
  port?: number,
): Promise<Home> {
  const home = tempDir();
  const p = port ?? (await freePort());
  const stateDir = join(home, '.openclaw');
  const dir = join(stateDir, 'watchdog');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(settings, null, 2));
  // OpenClaw's file log in this home, not the /tmp/openclaw/openclaw-<date>.log every gateway of
  // the user shares (alerts quote it as evidence). A test writing its own openclaw.json replaces it.
  const logging = { file: join(home, 'openclaw-file.log') };
  writeFileSync(join(stateDir, 'openclaw.json'), JSON.stringify({ logging }));
  const env = bareEnv(home, { OPENCLAW_GATEWAY_PORT: String(p) });
  const events = () => {
    try {
      return readFileSync(join(dir, 'events.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      return [];
    }
  };
  return {
    home,
    port: p,
    stateDir,
    dir,
    env,
    own: { ...env, OPENCLAW_STATE_DIR: stateDir },
    events,
    eventNames: () => events().map((e) => String(e.event)),
    state: () =>
      JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as Record<string, unknown>,
    check: (args = [], extraEnv = {}) => runCli(['check', ...args], { ...env, ...extraEnv }),
    configure: (next) => writeFileSync(join(dir, 'config.json'), JSON.stringify(next, null, 2)),
  };
}

/** FAST settings whose restart.command starts the fake gateway on `port` (with extra flags). */
export function withFakeRestart(
  port: number,
  flags: string[] = [],
  extra: Record<string, unknown> = {},
) {
  return {
    ...FAST,
    ...extra,
    restart: { ...FAST.restart, command: fakeGatewayCommand(port, flags) },
  };
}

/** Fake-gateway flags for a gateway that refuses its config at once, as OpenClaw does (exit 78). */
export const BAD_CONFIG_FLAGS = [
  '--crash-after',
  '0',
  '--exit-code',
  '78',
  '--print',
  'Gateway failed to start: Invalid config at /x/openclaw.json',
];
