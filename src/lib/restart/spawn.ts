import { spawn, type ChildProcess } from 'node:child_process';
import { readStartTicks } from '../procs/table.js';
import { closeSync, constants, fstatSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { APPEND_NOFOLLOW, openNoFollow, replaceFile } from '../store/atomic.js';
import { errorCode } from '../errors.js';
import { cutText } from '../gateway-text.js';
import { NotRegularFileError, openRegular } from '../store/regular-file.js';

export interface Spawned {
  pid: number | null;
  /** Its start time, read at once (our unreaped child cannot have lost its pid yet). */
  startTicks: number | null;
  /** Resolves with the exit code and signal if the process ends (never rejects). */
  exited: Promise<{ code: number | null; signal: string | null; error?: string }>;
  logFile: string;
  logOffset: number;
}

const LOG_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Keeps gateway.log bounded while the gateway still writes to it: past `maxBytes` it is copied to
 * `.1` and truncated in place (the gateway appends with O_APPEND, so it carries on at the start).
 * Never through a symlink: the log is opened O_NOFOLLOW (a planted link is left alone), and `.1`
 * is written to a fresh random temp file then renamed over (a link there is replaced, not followed).
 */
export function trimLog(logFile: string, maxBytes = LOG_MAX_BYTES): boolean {
  let fd: number;
  try {
    fd = openRegular(logFile, constants.O_RDWR);
  } catch {
    return false; // missing, a symlink or a FIFO: not ours to touch
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= maxBytes) return false;
    replaceFile(`${logFile}.1`, 0o600, (out) => {
      const buffer = Buffer.alloc(Math.min(size, 1 << 20));
      for (let at = 0; at < size;) {
        const got = readSync(fd, buffer, 0, buffer.length, at);
        if (got === 0) break;
        writeSync(out, buffer, 0, got);
        at += got;
      }
    });
    ftruncateSync(fd, 0);
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts argv detached in its own session (setsid), stdout/stderr appended to `logFile` (0600),
 * no shell, no inherited fds but the log. The child outlives this process.
 */
export function spawnDetached(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  logFile: string,
): Spawned {
  try {
    trimLog(logFile);
  } catch {
    // a full disk must not stop the restart; the log is trimmed again when the check records
  }
  const fd = openLog(logFile);
  const logOffset = fd === null ? 0 : fstatSync(fd).size;
  const [command, ...args] = argv as [string, ...string[]];
  const out = fd ?? 'ignore';
  let child: ChildProcess;
  try {
    child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env, cwd });
  } finally {
    if (fd !== null) closeSync(fd);
  }
  const exited = new Promise<{ code: number | null; signal: string | null; error?: string }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  const startTicks = child.pid ? readStartTicks(child.pid) : null;
  child.unref();
  return { pid: child.pid ?? null, startTicks, exited, logFile, logOffset };
}

/**
 * gateway.log for appending; null when something other than a regular file sits there (a FIFO,
 * a device): the gateway is started all the same, its output discarded, and the check never
 * blocks on it. A symlink is still refused (UnsafePathError).
 */
function openLog(logFile: string): number | null {
  try {
    return openNoFollow(logFile, APPEND_NOFOLLOW);
  } catch (error) {
    if (error instanceof NotRegularFileError || errorCode(error) === 'ENXIO') return null;
    throw error;
  }
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** Characters kept of each line a started gateway printed (as alerts' evidence lines). */
const LINE_CHARS = 400;

/** The last lines a process wrote to its log since `offset`, ANSI colours removed, each cut to
 * LINE_CHARS. */
export function tailSince(
  file: string,
  offset: number,
  maxLines = 20,
  maxBytes = 64 * 1024,
): string {
  let fd: number;
  try {
    fd = openRegular(file);
  } catch {
    return '';
  }
  try {
    const end = fstatSync(fd).size;
    const start = Math.max(offset, end - maxBytes);
    const buffer = Buffer.alloc(Math.max(0, end - start));
    readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer
      .toString('utf8')
      .replace(ANSI, '')
      .split('\n')
      .filter((l) => l.trim());
    // The gateway's own lines: cut as every string from the gateway is (gateway-text.ts).
    return lines
      .slice(-maxLines)
      .map((l) => cutText(l, LINE_CHARS))
      .join('\n');
  } finally {
    closeSync(fd);
  }
}
