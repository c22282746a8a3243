import { err } from '../cli/terminal.js';
import { execFile } from 'node:child_process';
import { errorCode } from '../errors.js';

export class CrontabMissingError extends Error {
  override name = 'CrontabMissingError';
}

/** `crontab -l` or `crontab -` refused (not allowed to use cron, a broken spool): one line, exit 1. */
export class CrontabFailedError extends Error {
  override name = 'CrontabFailedError';
}

function run(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('crontab', args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (errorCode(error) === 'ENOENT') {
        reject(
          new CrontabMissingError(
            'crontab not found: install cron (Debian/Ubuntu: apt-get install cron; Fedora/RHEL: dnf install cronie; Alpine: apk add dcron)',
            { cause: error },
          ),
        );
        return;
      }
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Debian's `crontab -l` shows a carriage return as the two characters `\r`; writing that back
 * would replace the CR of every CRLF line with a backslash and an `r`. A `\r` right before the
 * newline is taken back to the CR it stands for (a line that really ends in backslash-r is far
 * rarer than a CRLF crontab). Implementations that print the CR itself are read as they are.
 */
export const fromListing = (text: string) => text.replace(/\\r(?=\n|$)/g, '\r');

/** The user's crontab (`crontab -l`); no crontab yet is an empty one. */
export async function readCrontab(): Promise<string> {
  const r = await run(['-l']);
  if (r.code === 0) return fromListing(r.stdout);
  if (/no crontab for/i.test(r.stderr)) return '';
  throw new CrontabFailedError(
    `crontab -l failed: ${r.stderr.trim()}; are you allowed to use cron? (/etc/cron.allow, /etc/cron.deny)`,
  );
}

/** Installs a whole crontab (`crontab -`). */
export async function writeCrontab(text: string): Promise<void> {
  const r = await run(['-'], text);
  if (r.code !== 0)
    throw new CrontabFailedError(
      `crontab - failed: ${r.stderr.trim()}; are you allowed to use cron? (/etc/cron.allow, /etc/cron.deny)`,
    );
}

/** Runs a crontab-editing command; a missing or failing `crontab` is one line on stderr, exit 1. */
export async function withCrontab(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CrontabMissingError || error instanceof CrontabFailedError)) throw error;
    err(`openclaw-watchdog: ${error.message}\n`);
    return 1;
  }
}
