import { out } from '../cli/terminal.js';
import type { Flags } from '../cli/args.js';
import { blockEvery, parseCrontab } from './block.js';
import { readCrontab } from './crontab.js';
import { blockStateDir } from './install.js';

export interface ListedBlock {
  stateDir: string;
  every: string | null;
  /** Written by a version before per-state-dir blocks: run install-cron again to upgrade it. */
  legacy: boolean;
  entries: string[];
}

/** Every openclaw-watchdog block in the crontab, with the state dir it watches. */
export async function readBlocks(env: NodeJS.ProcessEnv): Promise<ListedBlock[]> {
  return parseCrontab(await readCrontab()).blocks.map((b) => ({
    stateDir: blockStateDir(b, env),
    every: blockEvery(b),
    legacy: b.stateDir === null,
    entries: b.entries,
  }));
}

/** `install-cron --list`: one line per block (state dir, cadence), or JSON. */
export async function listBlocks(flags: Flags, env: NodeJS.ProcessEnv): Promise<number> {
  const blocks = await readBlocks(env);
  if (flags.json) {
    out(`${JSON.stringify(blocks)}\n`);
    return 0;
  }
  if (blocks.length === 0) {
    out('no openclaw-watchdog block in your crontab\n');
    return 0;
  }
  for (const b of blocks)
    out(
      `${b.stateDir}  every ${b.every ?? '?'}${b.legacy ? '  (old format: run install-cron again to upgrade it)' : ''}\n`,
    );
  return 0;
}
