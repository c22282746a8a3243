/**
 * The launcher cron runs: a small sh script in the watchdog dir that sets the environment captured
 * at install time and exec's node with the CLI. The cron line stays short (cron mails it as the
 * subject), and the variables apply to our check only, not to the rest of the crontab.
 */
import { fchmodSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateDir, replaceFile } from '../store/atomic.js';
import { shQuote } from './block.js';

export const LAUNCHER_NAME = 'cron-check.sh';
export const launcherPath = (stateDir: string) => join(stateDir, 'watchdog', LAUNCHER_NAME);

export interface Invocation {
  node: string;
  cli: string;
  env: Record<string, string>;
  /** Arguments after `check`. */
  args: string[];
}

export function renderLauncher(stateDir: string, inv: Invocation): string {
  return [
    '#!/bin/sh',
    `# openclaw-watchdog: the check cron runs for state dir ${stateDir}.`,
    '# Written by install-cron (run it again to change it); uninstall-cron removes the cron entry.',
    ...Object.entries(inv.env).map(([k, v]) => `export ${k}=${shQuote(v)}`),
    `exec ${[inv.node, inv.cli, 'check', ...inv.args].map(shQuote).join(' ')} "$@"`,
    '',
  ].join('\n');
}

/**
 * Writes the launcher atomically (see replaceFile: a random temp file opened O_EXCL|O_NOFOLLOW,
 * renamed over the target, never written through a link), mode 0700, in the watchdog dir checked
 * as the check checks it (ensurePrivateDir): cron executes this file, so whoever can write its dir
 * could run anything as the user. A symlinked dir or another user's is refused (UnsafePathError,
 * exit 2); group/world access on ours is removed.
 */
export function writeLauncher(file: string, text: string): void {
  ensurePrivateDir(dirname(file));
  const write = (fd: number) => {
    writeSync(fd, text);
    fchmodSync(fd, 0o700); // executable whatever the umask
  };
  replaceFile(file, 0o700, write, { fsync: true });
}

/** Splits sh words as we quote them: bare, '…', "…" (taken literally) and \x (cron's `\%` too). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      const end = close < 0 ? line.length : close;
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

/** Reads back `NAME=value` words and the arguments after `check` from a command's words. */
export function parseInvocation(words: string[]): Pick<Invocation, 'env' | 'args'> | null {
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!); i++) {
    const eq = words[i]!.indexOf('=');
    env[words[i]!.slice(0, eq)] = words[i]!.slice(eq + 1);
  }
  const check = words.indexOf('check', i);
  if (check < 0) return null;
  return { env, args: words.slice(check + 1).filter((w) => w !== '$@') };
}

/** The environment and arguments a launcher we wrote carries; null when it is missing or not ours. */
export function readLauncher(file: string): Pick<Invocation, 'env' | 'args'> | null {
  const inv = readLauncherInvocation(file);
  return inv && { env: inv.env, args: inv.args };
}

/** Everything a launcher we wrote runs: node, the CLI, its environment and arguments. */
export function readLauncherInvocation(file: string): Invocation | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return parseLauncher(text);
}

/** A launcher's text back into what it runs; null when it has no `exec node cli check` line. */
export function parseLauncher(text: string): Invocation | null {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const words = shellWords(line);
    if (words[0] === 'export' && words.length === 2) {
      const eq = words[1]!.indexOf('=');
      if (eq > 0) env[words[1]!.slice(0, eq)] = words[1]!.slice(eq + 1);
    } else if (words[0] === 'exec') {
      const inv = parseInvocation(words.slice(1));
      const [node, cli] = words.slice(1).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
      if (!inv || node === undefined || cli === undefined || cli === 'check') return null;
      return { node, cli, env: { ...env, ...inv.env }, args: inv.args };
    }
  }
  return null;
}
