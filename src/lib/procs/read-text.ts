import { readFileSync } from 'node:fs';

/** A /proc or /sys file's text, or null when it cannot be read (gone, denied). */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
