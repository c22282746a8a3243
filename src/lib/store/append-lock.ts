import { closeSync, constants, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** The longest an append waits for another process's append (each takes well under 1 ms). */
const WAIT_MS = 5000;
const SPIN_MS = 2;

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Is this pid alive (and not a zombie)? A pid we may not signal is alive. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
}

/**
 * Runs `append` while holding `<file>.lock` (created exclusively, O_NOFOLLOW, holding the pid):
 * two processes appending to the event log at once (the check that holds the check lock, a check
 * logging lock_busy, `pause`) must not read the log's last stamp and write in crossed order. A
 * lock whose holder is gone (killed mid-append) is removed. Waits at most WAIT_MS for a live
 * holder (one stopped by SIGSTOP mid-append), then appends anyway: a stall never stops the log.
 */
export function withAppendLock<T>(file: string, append: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  let held = false;
  for (;;) {
    try {
      const fd = openSync(
        lock,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      held = true;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') break; // no lock to be had: append
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(lock, 'utf8'));
    } catch {
      if (Date.now() > deadline) break;
      continue; // released meanwhile
    }
    const valid = Number.isInteger(holder) && holder > 0;
    if (valid && !alive(holder)) {
      rmSync(lock, { force: true }); // its holder was killed mid-append
      continue;
    }
    if (Date.now() > deadline) {
      // A live holder stopped mid-append, or a damaged lock: append without it, once; a damaged
      // lock is removed for the next append.
      if (!valid) rmSync(lock, { force: true });
      break;
    }
    pause(SPIN_MS);
  }
  try {
    return append();
  } finally {
    if (held) rmSync(lock, { force: true });
  }
}
