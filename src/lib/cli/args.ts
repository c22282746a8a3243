import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage, UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const COMMON_OPTIONS: Options = {
  'state-dir': { type: 'string' },
  profile: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
};

export type Flags = Record<string, string | boolean | undefined>;

/** Parses a command's flags strictly; an unknown flag or a missing value is a UsageError. */
export function parseFlags(command: string, argv: string[], options: Options): Flags {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...options },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) {
      throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positionals[0])}`);
    }
    return values as Flags;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = errorMessage(error).replace(/\. To specify a positional.*$/s, '');
    throw new UsageError(`${command}: ${message}`, { cause: error });
  }
}

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole number flag within a range, or a UsageError naming the flag and value. */
export function intFlag(flags: Flags, name: string, min: number, max: number): number | undefined {
  const raw = stringFlag(flags, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(
      `--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export function pathFlags(flags: Flags) {
  return {
    stateDir: stringFlag(flags, 'state-dir'),
    profile: stringFlag(flags, 'profile'),
    config: stringFlag(flags, 'config'),
  };
}
