/** Doctor's disk check: free space where the state dir and OpenClaw's logs live. */
import { freePercent } from '../decide/signals/disk.js';
import type { DoctorFacts, Finding } from './types.js';

const mib = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`;

export function disk(f: DoctorFacts): Finding {
  const id = 'disk';
  const { filesystems, low } = f.disk;
  if (filesystems.length === 0)
    return { id, status: 'warn', message: `cannot read the free space of ${f.stateDir}` };
  const say = (fs: (typeof filesystems)[number]) =>
    `${fs.paths.join(', ')}: ${mib(fs.freeBytes)} free (${freePercent(fs)} %)`;
  if (low.length > 0)
    return {
      id,
      status: 'warn',
      message: `disk low: ${low.map(say).join('; ')}`,
      fix: `free space (du -sh ${f.stateDir}/* shows the largest; old sessions and logs go first)`,
    };
  return { id, status: 'ok', message: `disk: ${filesystems.map(say).join('; ')}` };
}
