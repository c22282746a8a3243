import { closeSync, fstatSync, readSync } from 'node:fs';
import { openRegular } from '../store/regular-file.js';

export interface TailOptions {
  /** At most this many bytes are read, from the end of the file (a huge log costs no more). */
  maxBytes?: number;
  maxLines?: number;
  /** Only a file owned by this uid is read (a log in a shared directory such as /tmp may be planted). */
  ownerUid?: number | null;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/**
 * The last non-empty lines of a log, ANSI colours removed; null when it cannot be read. Opened
 * O_NOFOLLOW (a symlink is not followed) and O_NONBLOCK (a FIFO planted there never blocks), only
 * a regular file; only its last `maxBytes` are read, and a line cut at that start is dropped.
 */
export function readTail(file: string, options: TailOptions = {}): string[] | null {
  const { maxBytes = 16 * 1024, maxLines = 20, ownerUid = null } = options;
  let fd: number;
  try {
    fd = openRegular(file, undefined, undefined, ownerUid);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    const start = Math.max(0, stat.size - maxBytes);
    const buffer = Buffer.alloc(stat.size - start);
    let got = 0;
    while (got < buffer.length) {
      const n = readSync(fd, buffer, got, buffer.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    const lines = buffer.subarray(0, got).toString('utf8').split('\n');
    if (start > 0) lines.shift(); // cut at the start: not a whole line
    return lines
      .map((l) => l.replace(ANSI, '').trimEnd())
      .filter((l) => l.trim())
      .slice(-maxLines);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
