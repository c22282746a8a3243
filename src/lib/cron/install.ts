import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flags } from '../cli/args.js';
import { resolvePaths } from '../config/paths.js';
import { UsageError, showValue } from '../errors.js';
import {
  cronQuote,
  parseCrontab,
  renderBlock,
  replaceBlock,
  type Block,
  type Every,
  type ParsedCrontab,
} from './block.js';
import { readCrontab } from './crontab.js';
import { launcherPath, parseInvocation, renderLauncher, shellWords } from './launcher.js';

/** Variables that change where the watchdog and OpenClaw look; captured into the launcher. */
export const CARRIED = [
  'OPENCLAW_HOME',
  'OPENCLAW_STATE_DIR',
  'OPENCLAW_CONFIG_PATH',
  'OPENCLAW_PROFILE',
  'OPENCLAW_GATEWAY_PORT',
  'OPENCLAW_WATCHDOG_CONFIG',
  'NPM_CONFIG_PREFIX',
];

/** This package's built CLI, absolute. */
export const cliPath = () => fileURLToPath(new URL('../../cli.js', import.meta.url));

// A newline (or any control character) in a value would end the cron line or the launcher's line.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function refuseControl(name: string, value: string | undefined): void {
  if (value !== undefined && CONTROL.test(value))
    throw new UsageError(
      `${name}: control characters (newline, tab, …) are not allowed in what cron runs, got ${showValue(value)}`,
    );
}

/** PATH without duplicates or empty entries (an empty entry means "the current directory"). */
export function dedupePath(path: string): string {
  return [...new Set(path.split(':').filter(Boolean))].join(':');
}

/** The state dir a block of ours belongs to, absolute. */
export function stateDirFor(flags: Flags, env: NodeJS.ProcessEnv): string {
  const str = (name: string) =>
    typeof flags[name] === 'string' ? (flags[name] as string) : undefined;
  return resolve(
    resolvePaths(
      { stateDir: str('state-dir'), profile: str('profile'), config: str('config') },
      env,
    ).stateDir,
  );
}

/** Argument words back into flags (`--state-dir X --profile P --config C`). */
export function argsToFlags(args: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i + 1 < args.length; i += 2)
    if (args[i]!.startsWith('--')) flags[args[i]!.slice(2)] = args[i + 1]!;
  return flags;
}

/** The environment and arguments of an old single-block entry, read from its command line. */
export function legacyInvocation(block: Block) {
  const entry = block.entries.find((l) => /^[*0-9@]/.test(l));
  if (!entry) return null;
  // cron itself turns `\%` into `%` (wherever it stands) before sh sees the line
  const command = entry.replace(/^(\S+\s+){5}(sleep 30;\s*)?/, '').replace(/\\%/g, '%');
  const words = shellWords(command);
  return parseInvocation(words);
}

/** The state dir an old single-block entry watched (with the installer's HOME, which it lacked). */
export function blockStateDir(block: Block, env: NodeJS.ProcessEnv): string {
  if (block.stateDir !== null) return block.stateDir;
  const inv = legacyInvocation(block);
  const base = { HOME: env.HOME || homedir(), OPENCLAW_HOME: env.OPENCLAW_HOME };
  try {
    return stateDirFor(argsToFlags(inv?.args ?? []), { ...base, ...inv?.env });
  } catch {
    return stateDirFor({}, base);
  }
}

export interface CronPlan {
  stateDir: string;
  launcher: { path: string; text: string };
  block: string;
  before: string;
  after: string;
  replaced: boolean;
  /** Where the CLI lives when that place may move or vanish (a git checkout, npx's cache). */
  fragile: { kind: 'checkout' | 'npx'; dir: string } | null;
}

/** Refuses a control character in any flag or variable that goes into the launcher or the crontab. */
export function refuseControlCharacters(flags: Flags, env: NodeJS.ProcessEnv): void {
  for (const name of ['state-dir', 'config', 'profile'])
    refuseControl(
      `--${name}`,
      typeof flags[name] === 'string' ? (flags[name] as string) : undefined,
    );
  for (const name of ['HOME', 'PATH', ...CARRIED]) refuseControl(name, env[name]);
}

/** A git checkout above the CLI, or npx's cache: cron would break when it moves or is cleaned. */
export function fragileLocation(cli: string): CronPlan['fragile'] {
  if (cli.includes('/_npx/')) return { kind: 'npx', dir: dirname(cli) };
  for (let dir = dirname(cli); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return { kind: 'checkout', dir };
    if (dirname(dir) === dir) return null;
  }
}

export async function planInstall(
  every: Every,
  flags: Flags,
  env: NodeJS.ProcessEnv,
  cli = cliPath(),
): Promise<CronPlan> {
  refuseControlCharacters(flags, env);
  refuseControl('node path', process.execPath);
  refuseControl('CLI path', cli);
  const captured: Record<string, string> = {
    HOME: env.HOME || homedir(),
    PATH: dedupePath(env.PATH || '/usr/bin:/bin'),
  };
  for (const name of CARRIED) if (env[name]) captured[name] = env[name]!;
  const args: string[] = [];
  for (const name of ['state-dir', 'config'] as const) {
    const v = flags[name];
    if (typeof v === 'string') args.push(`--${name}`, isAbsolute(v) ? v : resolve(v));
  }
  if (typeof flags.profile === 'string') args.push('--profile', flags.profile);
  const stateDir = stateDirFor(flags, env);
  const path = launcherPath(stateDir);
  const text = renderLauncher(stateDir, { node: process.execPath, cli, env: captured, args });
  const block = renderBlock(stateDir, cronQuote(path), every);
  const before = await readCrontab();
  const parsed = parseCrontab(before);
  const old = findBlock(parsed, stateDir, env);
  return {
    stateDir,
    launcher: { path, text },
    block,
    before,
    after: replaceBlock(parsed, old, block),
    replaced: old !== undefined,
    fragile: fragileLocation(cli),
  };
}

export function findBlock(parsed: ParsedCrontab, stateDir: string, env: NodeJS.ProcessEnv) {
  return parsed.blocks.find((b) => blockStateDir(b, env) === stateDir);
}

export async function planUninstall(flags: Flags, env: NodeJS.ProcessEnv) {
  const stateDir = stateDirFor(flags, env);
  const before = await readCrontab();
  const parsed = parseCrontab(before);
  const old = findBlock(parsed, stateDir, env);
  const others = parsed.blocks.filter((b) => b !== old).map((b) => blockStateDir(b, env));
  return {
    stateDir,
    before,
    after: replaceBlock(parsed, old, null),
    removed: old !== undefined,
    others,
  };
}
