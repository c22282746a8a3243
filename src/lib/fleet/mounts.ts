import { readFileSync, realpathSync } from 'node:fs';

/** Mount points from /proc/self/mountinfo (field 5, octal escapes undone); [] when unreadable. */
export function mountPoints(text?: string): string[] {
  let t = text;
  if (t === undefined) {
    try {
      t = readFileSync('/proc/self/mountinfo', 'utf8');
    } catch {
      return [];
    }
  }
  return t
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((m): m is string => Boolean(m))
    .map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

/** The mount point holding `path` (the longest one that is a prefix of its real path). Pure
 * given `mounts`; the path is resolved when it exists. */
export function mountOf(path: string, mounts: string[]): string {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // not there (yet): its own text
  }
  let best = '/';
  for (const m of mounts) {
    const under = m === '/' || real === m || real.startsWith(`${m}/`);
    if (under && m.length > best.length) best = m;
  }
  return best;
}
