import type { Config } from '../config/load.js';
import { diskAlertDue, type DiskObservation } from '../decide/signals/disk.js';
import type { State } from '../store/state.js';
import { filesystemsOf } from './free.js';
import { largestDirs } from './sizes.js';

/** OpenClaw's log dir: `logging.file`'s dir from openclaw.json, else /tmp/openclaw (§7). */
export const DEFAULT_LOG_DIR = '/tmp/openclaw';

/** Free space where the state dir and the gateway's logs live; dir sizes only when alerting. */
export function observeDisk(config: Config, state: State, now: number): DiskObservation {
  const { stateDir } = config.paths;
  const logDir = config.logDir ?? DEFAULT_LOG_DIR;
  const filesystems = filesystemsOf([stateDir, logDir]);
  if (!diskAlertDue(config.settings.disk, state, filesystems, now)) return { filesystems };
  return { filesystems, largest: largestDirs(stateDir, logDir) };
}
