import type { Settings } from '../config/schema.js';
import type { State } from '../store/state.js';
import type { Step } from './step.js';

/** One filesystem holding the state dir and/or OpenClaw's log dir, as statfs saw it. */
export interface FsFree {
  /** The watched dirs it holds. */
  paths: string[];
  freeBytes: number;
  totalBytes: number;
}

/** One of the gateway's own dirs and its size (at least `bytes` when `truncated`). */
export interface DirSize {
  path: string;
  bytes: number;
  truncated: boolean;
}

export interface DiskObservation {
  filesystems: FsFree[];
  /** The largest of the gateway's log and session dirs: measured only when an alert is due. */
  largest?: DirSize[];
}

type DiskSettings = Settings['disk'];

const MiB = 1024 * 1024;
/** A low-disk incident ends when every filesystem has this much more than the thresholds. */
const CLEAR_FACTOR = 1.1;

export const freePercent = (fs: FsFree): number =>
  fs.totalBytes > 0 ? Math.round((fs.freeBytes / fs.totalBytes) * 1000) / 10 : 100;

/** Filesystems below disk.warnFreeMB or disk.warnFreePercent (times `factor`). Pure. */
export function lowFilesystems(disk: DiskSettings, all: FsFree[], factor = 1): FsFree[] {
  return all.filter(
    (fs) =>
      (disk.warnFreeMB !== null && fs.freeBytes < disk.warnFreeMB * MiB * factor) ||
      (disk.warnFreePercent !== null &&
        fs.totalBytes > 0 &&
        (fs.freeBytes / fs.totalBytes) * 100 < disk.warnFreePercent * factor),
  );
}

/** A disk_low alert is due: a filesystem is low and no low-disk incident is open. Pure. */
export function diskAlertDue(disk: DiskSettings, state: State, all: FsFree[]): boolean {
  return state.diskLowSince === null && lowFilesystems(disk, all).length > 0;
}

/**
 * Disk: on every check (statfs is cheap), whatever the gateway's state. `disk_low` once per
 * incident, with the largest of the gateway's own dirs; the incident ends when every filesystem
 * is 10 % above the thresholds again (no flapping around them). Alert only.
 */
export function noteDisk(step: Step): void {
  const disk = step.obs.disk;
  if (!disk) return;
  const settings = step.settings.disk;
  const open = step.state.diskLowSince !== null;
  if (open) {
    if (lowFilesystems(settings, disk.filesystems, CLEAR_FACTOR).length === 0)
      step.state = { ...step.state, diskLowSince: null };
    return;
  }
  const low = lowFilesystems(settings, disk.filesystems);
  if (!low.length) return;
  step.events.push({
    level: 'warn',
    event: 'disk_low',
    filesystems: low.map((fs) => ({ ...fs, freePercent: freePercent(fs) })),
    largest: disk.largest ?? [],
  });
  step.state = { ...step.state, diskLowSince: step.now };
}
