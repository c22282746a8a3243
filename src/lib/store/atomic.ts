import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorCode, errorMessage, UsageError } from '../errors.js';
import { openRegular } from './regular-file.js';

/** A directory or file the watchdog will not use: a symlink, another user's, or one it cannot create. */
export class UnsafePathError extends UsageError {
  override name = 'UnsafePathError';
}

const { O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW } = constants;
/** Append-only, created 0600, never through a symlink. */
export const APPEND_NOFOLLOW = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW;

const why = (error: unknown) => errorCode(error) ?? errorMessage(error);

/**
 * Creates missing parents one level at a time (mode 0700). Node's recursive mkdir loops forever
 * where mkdir answers ENOENT under an existing parent (/proc); this fails at once instead.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      lstatSync(d);
      break;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT')
        throw new UnsafePathError(`cannot use directory ${d}: ${why(error)}`, { cause: error });
      missing.push(d);
      if (dirname(d) === d) break;
    }
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode: 0o700 });
    } catch (error) {
      if (errorCode(error) === 'EEXIST') continue;
      throw new UnsafePathError(`cannot create directory ${d}: ${why(error)}`, { cause: error });
    }
  }
}

/**
 * Creates the watchdog's directory, private to the user. An existing one must be a real
 * directory owned by us: a symlink or another user's directory is refused (exit 2); group or
 * world access on ours is removed.
 */
export function ensurePrivateDir(dir: string): void {
  makeDirs(dir);
  const st = lstatSync(dir);
  if (st.isSymbolicLink())
    throw new UnsafePathError(`refusing to use ${dir}: it is a symlink (make it a real directory)`);
  if (!st.isDirectory()) throw new UnsafePathError(`refusing to use ${dir}: not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid)
    throw new UnsafePathError(
      `refusing to use ${dir}: owned by uid ${st.uid}, not by this user (uid ${uid})`,
    );
  if ((st.mode & 0o077) !== 0) {
    try {
      chmodSync(dir, 0o700);
    } catch (error) {
      throw new UnsafePathError(`cannot make ${dir} private (chmod 700): ${why(error)}`, {
        cause: error,
      });
    }
  }
}

/**
 * Opens a file of ours to write as openRegular does (O_NOFOLLOW, O_NONBLOCK, a regular file only:
 * a FIFO there never blocks the check); a symlink planted at `file` is a clear UnsafePathError,
 * not ELOOP.
 */
export function openNoFollow(file: string, flags: number, mode = 0o600): number {
  try {
    return openRegular(file, flags, mode);
  } catch (error) {
    if (errorCode(error) === 'ELOOP')
      throw new UnsafePathError(`refusing to write ${file}: it is a symlink (remove it)`, {
        cause: error,
      });
    throw error;
  }
}

/** A temp file next to `file` with a random name, created exclusively (never an existing file or link). */
export function createTempFile(file: string, mode: number): { path: string; fd: number } {
  const path = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  return { path, fd: openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode) };
}

/**
 * Replaces `file` atomically with what `write` puts in a random temp file next to it (opened
 * O_EXCL, then renamed over the target: a symlink there is replaced, never followed). `fsync`
 * before the rename when the content must survive a crash. The temp file never stays behind.
 */
export function replaceFile(
  file: string,
  mode: number,
  write: (fd: number) => void,
  { fsync = false } = {},
): void {
  const temp = createTempFile(file, mode);
  try {
    try {
      write(temp.fd);
      if (fsync) fsyncSync(temp.fd);
    } finally {
      closeSync(temp.fd);
    }
    renameSync(temp.path, file);
  } catch (error) {
    rmSync(temp.path, { force: true });
    throw error;
  }
}

/**
 * Writes a file atomically (random temp file in the same dir, opened O_EXCL, fsynced, then
 * renamed over the target: a symlink there is replaced, never followed), mode 0600 in a private
 * dir it creates. `shared` (the metrics textfile): mode 0644 in a directory that must exist.
 */
export function writeFileAtomic(file: string, data: string, { shared = false } = {}): void {
  if (!shared) ensurePrivateDir(dirname(file));
  replaceFile(file, shared ? 0o644 : 0o600, (fd) => writeSync(fd, data), { fsync: true });
}
