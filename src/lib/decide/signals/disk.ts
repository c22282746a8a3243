import { MAX_DISK_TRACKS } from '../../store/state-validate.js';
import type { Settings } from '../../config/schema.js';
import type { DiskTrack, State } from '../../store/state.js';
import type { Step } from '../step.js';
import type { FsFree } from '../types.js';

export type { DirSize, DiskObservation, FsFree } from '../types.js';

type DiskSettings = Settings['disk'];

const MiB = 1024 * 1024;
/** A filesystem's low-disk incident ends when it has this much more than the thresholds. */
const CLEAR_FACTOR = 1.1;
/** No second disk_low for the same filesystem within this long of the last (fill/free cycles). */
export const DISK_ALERT_COOLDOWN_MS = 6 * 3600_000;

export const freePercent = (fs: FsFree): number =>
  fs.totalBytes > 0 ? Math.round((fs.freeBytes / fs.totalBytes) * 1000) / 10 : 100;

/**
 * Below disk.warnFreePercent, or below disk.warnFreeMB unless a tmpfs (times `factor`). A
 * filesystem with no size (ramfs, pseudo filesystems) is never low. Pure.
 */
function isLow(disk: DiskSettings, fs: FsFree, factor: number): boolean {
  if (fs.totalBytes <= 0) return false;
  const mb = !fs.tmpfs && fs.freeBytes < level(disk.warnFreeMB) * MiB * factor;
  const pct = (fs.freeBytes / fs.totalBytes) * 100 < level(disk.warnFreePercent) * factor;
  return mb || pct;
}

/** A threshold turned off (null) is 0: no free space is below it. */
const level = (threshold: number | null): number => threshold ?? 0;

/** Filesystems below disk.warnFreeMB or disk.warnFreePercent (times `factor`). Pure. */
export function lowFilesystems(disk: DiskSettings, all: FsFree[], factor = 1): FsFree[] {
  return all.filter((fs) => isLow(disk, fs, factor));
}

/** The last disk_low for this filesystem was within the cooldown. */
function coolingDown(t: DiskTrack, now: number): boolean {
  // Stryker disable next-line ConditionalExpression: null in arithmetic is the epoch, decades past the cooldown
  if (t.alertedAt === null) return false;
  return now - t.alertedAt < DISK_ALERT_COOLDOWN_MS;
}

/** Whether a newly low filesystem would alert now: no incident open, no alert within the cooldown. */
function wouldAlert(tracks: DiskTrack[], dev: number, now: number): boolean {
  const t = tracks.find((x) => x.dev === dev);
  if (!t) return true;
  if (t.since !== null) return false;
  return !coolingDown(t, now);
}

/** A disk_low alert is due: a filesystem is low and would alert (dir sizes then measured). Pure. */
export function diskAlertDue(
  disk: DiskSettings,
  state: State,
  all: FsFree[],
  now: number,
): boolean {
  return all.some((fs) => isLow(disk, fs, 1) && wouldAlert(state.diskLow, fs.dev, now));
}

/**
 * Disk: on every check (statfs is cheap), whatever the gateway's state. One incident per
 * filesystem (by device id): `disk_low` once when it falls below a threshold, with the largest of
 * the gateway's own dirs; it ends when that filesystem is 10 % above the thresholds again, and a
 * new one within DISK_ALERT_COOLDOWN_MS of the last alert is followed but not said (fill/free
 * cycles). A filesystem not seen this check (not observed, dir moved) has no open incident.
 * Alert only.
 */
export function noteDisk(step: Step): void {
  const disk = step.obs.disk;
  if (!disk) return;
  const settings = step.settings.disk;
  const { now } = step;
  const prev = step.state.diskLow;
  const tracks: DiskTrack[] = [];
  const said: FsFree[] = [];
  for (const fs of disk.filesystems) {
    const { dev } = fs;
    const t = prev.find((x) => x.dev === dev) ?? { dev, since: null, alertedAt: null };
    if (t.since !== null) {
      tracks.push(isLow(settings, fs, CLEAR_FACTOR) ? t : { ...t, since: null });
    } else if (isLow(settings, fs, 1)) {
      const alert = wouldAlert(prev, dev, now);
      if (alert) said.push(fs);
      tracks.push({ dev, since: now, alertedAt: alert ? now : t.alertedAt });
    } else tracks.push(t);
  }
  // Filesystems not seen this check: closed, kept while their cooldown runs.
  for (const t of prev)
    if (!tracks.some((x) => x.dev === t.dev)) tracks.push({ ...t, since: null });
  // Open incidents first, then closed ones while their cooldown runs (the ones still seen first).
  const open = tracks.filter((t) => t.since !== null);
  const closed = tracks.filter((t) => t.since === null && coolingDown(t, now));
  const kept = [...open, ...closed].slice(0, MAX_DISK_TRACKS);
  step.state = { ...step.state, diskLow: kept };
  if (!said.length) return;
  step.events.push({
    level: 'warn',
    event: 'disk_low',
    filesystems: said.map((fs) => ({
      paths: fs.paths,
      freeBytes: fs.freeBytes,
      totalBytes: fs.totalBytes,
      freePercent: freePercent(fs),
    })),
    largest: disk.largest ?? [],
  });
}
