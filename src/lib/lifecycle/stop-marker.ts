import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** How much of the end of gateway-restart.log is read: lifecycle lines are ~100 bytes, but
 * restart hand-off scripts send their output to the same file. */
export const TAIL_BYTES = 16 * 1024;

/** One `openclaw gateway lifecycle` line of `<stateDir>/logs/gateway-restart.log`. */
export interface LifecycleLine {
  at: number;
  action: string;
  pid: number | null;
}

export const restartLogPath = (stateDir: string): string =>
  join(stateDir, 'logs', 'gateway-restart.log');

const LINE = /^\[([^\]]+)\] openclaw gateway lifecycle (.*)$/;

/** Parses one line: `[<ISO>] openclaw gateway lifecycle source=cli action=stop mode=sigterm
 * pid=<pid> interactive=0`. Anything else is null. Pure. */
export function parseLifecycleLine(line: string): LifecycleLine | null {
  const m = LINE.exec(line.trim());
  if (!m?.[1] || m[2] === undefined) return null;
  const at = Date.parse(m[1]);
  if (!Number.isFinite(at)) return null;
  const fields = new Map(
    m[2].split(' ').flatMap((kv) => {
      const i = kv.indexOf('=');
      return i > 0 ? [[kv.slice(0, i), kv.slice(i + 1)] as const] : [];
    }),
  );
  const action = fields.get('action');
  if (!action) return null;
  const pid = Number(fields.get('pid'));
  return { at, action, pid: Number.isInteger(pid) && pid > 0 ? pid : null };
}

/** The last lifecycle line in a chunk of the log's end (a torn first line is skipped). Pure. */
export function lastLifecycleLine(tail: string): LifecycleLine | null {
  const lines = tail.split('\n');
  for (const line of lines.reverse()) {
    const parsed = parseLifecycleLine(line);
    if (parsed) return parsed;
  }
  return null;
}

/**
 * The last lifecycle record of OpenClaw's `gateway-restart.log`, read from its last TAIL_BYTES
 * only: never through a symlink (O_NOFOLLOW), only a regular file of this user. Missing or
 * unreadable: null (no record of intent).
 */
export function readLastLifecycle(stateDir: string): LifecycleLine | null {
  let fd: number;
  try {
    fd = openSync(
      restartLogPath(stateDir),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile() || (uid !== undefined && st.uid !== uid)) return null;
    const length = Math.min(st.size, TAIL_BYTES);
    const buf = Buffer.alloc(length);
    const read = readSync(fd, buf, 0, length, st.size - length);
    return lastLifecycleLine(buf.subarray(0, read).toString('utf8'));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
