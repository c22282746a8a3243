import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Flags } from '../cli/args.js';
import { cronCommand, installBlock, removeBlock, renderBlock, type Every } from './block.js';
import { readCrontab } from './crontab.js';

/** Variables that change where the watchdog and OpenClaw look; captured into the cron entry. */
const CARRIED = [
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

export interface CronPlan {
  command: string;
  block: string;
  before: string;
  after: string;
  /** The CLI lives in npx's cache, which npm may clean: a global install is safer. */
  fromNpxCache: boolean;
}

/** What `install-cron` would write: absolute node and CLI, cron's missing PATH captured now. */
export async function planInstall(
  every: Every,
  flags: Flags,
  env: NodeJS.ProcessEnv,
  cli = cliPath(),
): Promise<CronPlan> {
  const captured: Record<string, string> = { PATH: env.PATH || '/usr/bin:/bin' };
  for (const name of CARRIED) if (env[name]) captured[name] = env[name]!;
  const args: string[] = [];
  for (const name of ['state-dir', 'config'] as const) {
    const v = flags[name];
    if (typeof v === 'string') args.push(`--${name}`, isAbsolute(v) ? v : resolve(v));
  }
  if (typeof flags.profile === 'string') args.push('--profile', flags.profile);
  const command = cronCommand(process.execPath, cli, captured, args);
  const block = renderBlock(command, every);
  const before = await readCrontab();
  return {
    command,
    block,
    before,
    after: installBlock(before, block),
    fromNpxCache: cli.includes('/_npx/'),
  };
}

export async function planUninstall(): Promise<{ before: string; after: string }> {
  const before = await readCrontab();
  return { before, after: removeBlock(before) };
}
