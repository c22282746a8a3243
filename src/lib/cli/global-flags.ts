import { COMMON_OPTIONS } from './args.js';

/**
 * The command line with the flags every command takes moved after the command, so that they may
 * come first as in `openclaw --profile p2 gateway run`: `openclaw-watchdog --profile p2 check` is
 * `check --profile p2`. Only those flags (`--profile V`, `--state-dir=V`, `--json`, `-v`, …) are
 * moved; the first other argument is the command. Pure.
 */
export function hoistGlobalFlags(argv: readonly string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    const option = globalOption(arg);
    if (!option) break;
    const takesValue = option.type === 'string' && !arg.includes('=');
    if (takesValue && argv[i + 1] === undefined) break; // the command's parser says what is missing
    leading.push(...argv.slice(i, i + (takesValue ? 2 : 1)));
    i += takesValue ? 2 : 1;
  }
  if (i >= argv.length) return [...argv]; // no command after them: as typed
  return [argv[i]!, ...argv.slice(i + 1), ...leading];
}

/** The common option `arg` names (`--profile`, `--profile=x`, `-v`), except --help. */
function globalOption(arg: string): { type: 'string' | 'boolean' } | null {
  const long = /^--([a-z-]+)(?:=.*)?$/s.exec(arg)?.[1];
  const name =
    long ?? Object.keys(COMMON_OPTIONS).find((k) => `-${COMMON_OPTIONS[k]!.short}` === arg);
  if (!name || name === 'help' || !Object.hasOwn(COMMON_OPTIONS, name)) return null;
  const option = COMMON_OPTIONS[name]!;
  if (option.type === 'boolean' && arg.includes('=')) return null;
  return { type: option.type };
}
