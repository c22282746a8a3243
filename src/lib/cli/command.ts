import type { ParseArgsConfig } from 'node:util';
import type { Flags } from './args.js';

/** One CLI command: its help text, its own flags, and what it runs. */
export interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(flags: Flags): Promise<number>;
}
