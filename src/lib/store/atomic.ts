import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates the watchdog's directory, private to the user. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Writes a file atomically (temp file in the same dir, then rename), mode 0600 in a private dir
 * it creates. `shared` (the metrics textfile): mode 0644 in a directory that must exist.
 */
export function writeFileAtomic(file: string, data: string, { shared = false } = {}): void {
  if (!shared) ensurePrivateDir(dirname(file));
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    writeFileSync(temp, data, { mode: shared ? 0o644 : 0o600, flush: true });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
