import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

/** A path that names something other than a regular file (a FIFO, a socket, a device, a dir). */
export class NotRegularFileError extends Error {
  override name = 'NotRegularFileError';
  readonly code = 'ENOTREG';
  constructor(readonly file: string) {
    super(`${file} is not a regular file (a FIFO, socket, device or directory): remove it`);
  }
}

/**
 * Opens one of the watchdog's own files, or a log it reads, so that nothing planted at its name can
 * block a check: O_NOFOLLOW (a symlink is ELOOP, never followed), O_NONBLOCK (a FIFO opens at
 * once, or fails with ENXIO for a writer without a reader) and only a regular file, else
 * NotRegularFileError (code ENOTREG). `ownerUid`: only a file of that owner (else null is
 * never returned: the file is refused as not ours, NotRegularFileError too). The one helper for
 * every such open (state, outbox, pause, events, gateway.log, OpenClaw's log and lock).
 */
export function openRegular(
  file: string,
  flags: number = O_RDONLY,
  mode = 0o600,
  ownerUid: number | null = null,
): number {
  const fd = openSync(file, flags | O_NOFOLLOW | O_NONBLOCK, mode);
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || (ownerUid !== null && st.uid !== ownerUid))
      throw new NotRegularFileError(file);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * The text of a regular file opened as openRegular does (at most `maxBytes`, from its start).
 * `follow`: a symlink is followed (a user's own config file, often a dotfile manager's link);
 * still O_NONBLOCK and a regular file only, so a FIFO or device at its name never blocks.
 */
export function readRegular(
  file: string,
  maxBytes = 64 * 1024 * 1024,
  { follow = false }: { follow?: boolean } = {},
): string {
  const fd = follow ? openFollowing(file) : openRegular(file);
  try {
    const size = Math.min(fstatSync(fd).size, maxBytes);
    const buffer = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buffer, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buffer.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** openRegular without O_NOFOLLOW: the file a symlink names, if that is a regular file. */
function openFollowing(file: string): number {
  const fd = openSync(file, O_RDONLY | O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new NotRegularFileError(file);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
