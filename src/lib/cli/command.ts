import type { ParseArgsConfig } from 'node:util';
import type { Flags } from './args.js';

/** One CLI command: its help text, its own flags, and what it runs. */
export interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(flags: Flags): Promise<number>;
}

/** A command as the CLI lists it: the summary shown in the usage text, and the lazy module. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<{ command: Command }>;
}
