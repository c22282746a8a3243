import type { ParseArgsConfig } from 'node:util';
import type { Flags } from './args.js';

/** One CLI command: its help text, its own flags, and what it runs. */
export interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Its subcommands (`notify test`): the first argument must be one of them. */
  subcommands?: readonly string[];
  run(flags: Flags, subcommand?: string): Promise<number>;
}
