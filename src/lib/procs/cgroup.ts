import { readText } from './read-text.js';

const read = readText;

/** A cgroup file's limit in bytes; "max", unlimited (>= 2^62) or unreadable: null. */
function limitIn(file: string): number | null {
  const text = read(file)?.trim();
  if (!text || text === 'max') return null;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 && n < 2 ** 62 ? n : null;
}

/**
 * The tightest memory limit of a process's cgroup and its ancestors, from its /proc/<pid>/cgroup
 * text: cgroup v1 `memory.limit_in_bytes` under <root>/memory, else v2 `memory.max` (under <root>,
 * or <root>/unified on a hybrid host). A path the mount does not show (a container's own
 * namespace) falls back to the mount's root. Null when there is no limit.
 */
export function cgroupLimitBytes(cgroupText: string, root = '/sys/fs/cgroup'): number | null {
  const lines = cgroupText.split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('memory'));
  const v2 = lines.find((l) => l.startsWith('0::'));
  const [dir, file] = v1
    ? [`${root}/memory`, 'memory.limit_in_bytes']
    : read(`${root}/cgroup.controllers`) !== null
      ? [root, 'memory.max']
      : [`${root}/unified`, 'memory.max'];
  const path = (v1 ?? v2 ?? '').split(':').slice(2).join(':') || '/';
  const limits: number[] = [];
  const parts = path.split('/').filter(Boolean);
  for (let i = parts.length; i >= 0; i--) {
    const limit = limitIn(`${dir}/${parts.slice(0, i).join('/')}/${file}`.replace('//', '/'));
    if (limit !== null) limits.push(limit);
  }
  return limits.length ? Math.min(...limits) : null;
}
