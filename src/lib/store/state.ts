import { closeSync, constants, fstatSync, writeSync } from 'node:fs';
import { openRegular, readRegular } from './regular-file.js';
import { errorCode, errorMessage } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { validateState } from './state-validate.js';

/** What one check leaves for the next: `<state dir>/watchdog/state.json`. Times are epoch ms. */
export interface State {
  version: 1;
  lastCheckAt: number | null;
  /** How long the last check took (ms), up to saving this state: the metrics say whether the
   * watchdog itself keeps up. (Absent in state files written before it.) */
  checkMs: number | null;
  /** The boot-time clock at lastCheckAt: a wall-clock jump between checks is measured with it. */
  clock: { bootId: string; uptimeMs: number } | null;
  lastVerdict: string | null;
  /** Start of the current run of healthy checks. */
  healthySince: number | null;
  /** The last time a check saw the gateway healthy. */
  lastHealthyAt: number | null;
  /** First check that saw the gateway not healthy, in the current stretch (downtime runs from it). */
  unhealthySince: number | null;
  /** Why the checks of the current stretch wait rather than act (said once, as `waiting`). */
  waiting: string | null;
  /** First check that saw the gateway accept connections and answer nothing. */
  unresponsiveSince: number | null;
  /** First check that saw /startupz say starting or draining, in the current stretch. */
  startingSince: number | null;
  /** A live gateway process that is not listening, and since when the checks have seen it so. */
  notListening: { pid: number; since: number } | null;
  /** The open incident: from first seeing trouble to healthy again. */
  incident: {
    kind: 'down' | 'hung' | 'conflict';
    since: number;
    /** When the gateway died, when OpenClaw's records say (decide/openclaw/downtime.ts). */
    died?: { at: number; from: 'boot_ledger' | 'gateway_log' };
  } | null;
  restarts: {
    total: number;
    consecutive: number;
    lastAt: number | null;
    nextAllowedAt: number | null;
  };
  crashLoopNotified: boolean;
  /** restart_impossible was said since the last restart carried out (restart-impossible.ts).
   * Absent when not (and in state files written before it). */
  restartImpossibleSaid?: boolean;
  slowestBootSec: number | null;
  /** The gateway this watchdog last started, by identity (pid + start time in clock ticks). */
  spawned: {
    pid: number | null;
    startTicks: number | null;
    at: number;
    method: string;
    /** Seconds from start to healthy, once seen. */
    bootSec?: number;
  } | null;
  orphansReapedTotal: number;
  /** When a healthy check last looked for orphans (decide/orphan-cadence.ts). */
  orphansScannedAt: number | null;
  /** The unattributed orphans already reported (orphans_found, reason unattributed), each as a
   * 32-bit hash of its pid and start time: at most MAX_ORPHANS_NOTED (decide/liveness/orphan-notes.ts). */
  orphansNoted: number[];
  /** When the open incident last alerted (for notify.remindAfterSec). */
  lastAlertAt: number | null;
  /** The user's stop (its time) this check found the gateway stopped by; said once per stop. */
  userStopAt: number | null;
  /** The latest start (epoch ms) of a gateway process of ours that a not-healthy check saw. */
  gatewaySeenStartAt: number | null;
  /** The filesystems of the state dir and the gateway's logs with a low-disk incident open or
   * a disk_low alert in its cooldown (decide/disk.ts; at most MAX_DISK_TRACKS). */
  diskLow: DiskTrack[];
  /** The channel accounts as last gathered (decide/channels.ts). */
  channels: ChannelsState;
  /** Since when the gateway's tree has been above memory.warnAboveMB (memory_high said once). */
  memoryHighSince: number | null;
  /** Since when it has been above memory.restartAboveMB (a graceful restart after sustainSec). */
  memoryOverSince: number | null;
  /** Since when it has had more than children.warnCount descendants (children_high said once). */
  childrenHighSince: number | null;
  /** Consecutive healthy checks whose event loop lagged (capped at eventLoop.afterChecks). */
  lagChecks: number;
  /** The gateway (pid + start time) the four fields above measured; another one resets them. */
  signalsOf: { pid: number; startTicks: number } | null;
  /** OpenClaw's safe mode (/readyz `suppressed`): since when, and when the watchdog sent its one
   * recovery restart (breaker.action recover). Null when not in safe mode. */
  safeMode: { since: number; recoverAt: number | null } | null;
  /** The last installation replacement (update) handled: its boot row's time (each said once),
   * when it was started again, the versions, and whether its failed start was said
   * (decide/openclaw/update.ts). (Absent in state files written before it.) */
  update?: UpdateTrack | null;
  /** OpenClaw at work (update, maintenance) left alone since, and whether update_stuck was said
   * (decide/openclaw/maintenance.ts). (Absent in state files written before it.) */
  maintenance?: { kind: 'updating' | 'maintenance'; since: number; stuckSaid: boolean } | null;
  /** The OpenClaw work whose update.maxSec is spent (update_stuck said), by its key (`update
   * <runId>`, `lock <role> <pid>`, …): never held for again, kept across healthy checks until a
   * read of OpenClaw's records finds it gone or other work (decide/openclaw/maintenance.ts).
   * (Absent in state files written before it.) */
  stuckWork?: string | null;
  /** The listening socket on our port that the gateway its lock names held when the kernel's TCP
   * tables were last read for it (procs/lock-listener.ts); null: none known. (Absent in state
   * files written before it.) */
  lockListener?: LockListener | null;
}

/** A gateway (pid + start time) seen listening on `port` through socket `inode`, at `at`. */
export interface LockListener {
  pid: number;
  startTicks: number;
  inode: number;
  port: number;
  at: number;
}

export interface UpdateTrack {
  rowAt: number;
  at: number;
  /** Versions, at most 40 characters each. */
  from: string | null;
  to: string | null;
  failedSaid: boolean;
}

/** One filesystem's low-disk incident, by device id. */
export interface DiskTrack {
  dev: number;
  /** Since when it is low (the incident), or null when it is not. */
  since: number | null;
  /** The last disk_low said for it (no new one within the cooldown). */
  alertedAt: number | null;
}

/** One channel account as the checks follow it. */
export interface ChannelTrack {
  channel: string;
  account: string;
  /** Healthy at the last gathering (the metric); a skipped-but-retrying account is not up. */
  up: boolean;
  /** First gathering that saw it down, in the current stretch (its downtime runs from it). */
  since: number | null;
  /** What was alerted for this stretch: `down` (channel_down), `blocked` (once, never restarted). */
  said: 'down' | 'blocked' | null;
  /** The recovery steps taken in this stretch: 1 the account alone, 2 the gateway; and when. */
  step: 0 | 1 | 2;
  stepAt: number | null;
  /** The watchdog itself stopped it (channels.stop of its own restart): a `stopped` lifecycle
   * after that is still ours to recover, not a stop by the user. Until it is seen not stopped.
   * (Absent in state files written before it.) */
  ownStop?: boolean;
  /** Not ready yet within OpenClaw's connect grace: starting, not down (status says so). */
  starting?: boolean;
}

export interface ChannelsState {
  /** The last `channels.status` gathering (ok or not): the periodic check counts from it. */
  checkedAt: number | null;
  /** Why channels cannot be checked (NO_TOKEN, …), said once until a gathering works. */
  unchecked: string | null;
  /** At most MAX_CHANNEL_ACCOUNTS, the ones not up first. */
  accounts: ChannelTrack[];
  /** Accounts left unfollowed at the last gathering (over MAX_CHANNEL_ACCOUNTS): said once per
   * stretch (`channels_over_cap`). (Absent in state files written before it.) */
  overCap?: number;
}

export function freshState(): State {
  return {
    version: 1,
    lastCheckAt: null,
    checkMs: null,
    clock: null,
    lastVerdict: null,
    healthySince: null,
    lastHealthyAt: null,
    unhealthySince: null,
    waiting: null,
    unresponsiveSince: null,
    startingSince: null,
    notListening: null,
    incident: null,
    restarts: { total: 0, consecutive: 0, lastAt: null, nextAllowedAt: null },
    crashLoopNotified: false,
    slowestBootSec: null,
    spawned: null,
    orphansReapedTotal: 0,
    orphansScannedAt: null,
    orphansNoted: [],
    lastAlertAt: null,
    userStopAt: null,
    gatewaySeenStartAt: null,
    diskLow: [],
    channels: { checkedAt: null, unchecked: null, accounts: [], overCap: 0 },
    memoryHighSince: null,
    memoryOverSince: null,
    childrenHighSince: null,
    lagChecks: 0,
    signalsOf: null,
    safeMode: null,
    update: null,
    maintenance: null,
    stuckWork: null,
    lockListener: null,
  };
}

export type LoadedState = { state: State; problem: string | null };

/** Reads the state; a missing file is a fresh state, a torn or foreign one is replaced (and said). */
export function loadState(file: string): LoadedState {
  let text: string;
  try {
    text = readRegular(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { state: freshState(), problem: null };
    return { state: freshState(), problem: `unreadable: ${errorMessage(error)}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { state: freshState(), problem: 'not valid JSON (torn write?)' };
  }
  const candidate = raw as Record<string, unknown> | null;
  if (!candidate || typeof candidate !== 'object' || candidate.version !== 1) {
    return { state: freshState(), problem: 'unknown state version' };
  }
  const { state, reset } = validateState(candidate, freshState());
  return {
    state,
    problem: reset.length ? `fields of the wrong type reset: ${reset.join(', ')}` : null,
  };
}

/**
 * The state file is padded to a fixed size, so that on a full disk it can still be rewritten in
 * place (its blocks exist): the backoff must survive the disk filling up.
 */
export const STATE_FILE_BYTES = 4096;

/** The file's text before padding: indented for people when that fits, else compact. */
export function stateText(state: State): string {
  const pretty = `${JSON.stringify(state, null, 2)}\n`;
  return Buffer.byteLength(pretty) <= STATE_FILE_BYTES ? pretty : `${JSON.stringify(state)}\n`;
}

/** The whole file: the text padded with spaces to STATE_FILE_BYTES bytes (not characters). */
export function stateFileText(state: State): string {
  const text = stateText(state);
  return text + ' '.repeat(Math.max(0, STATE_FILE_BYTES - Buffer.byteLength(text)));
}

export function saveState(file: string, state: State): void {
  const padded = stateFileText(state);
  try {
    writeFileAtomic(file, padded);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
    if (!rewriteInPlace(file, padded)) throw error;
  }
}

/**
 * Overwrites an existing file of at least this size in place (no new blocks); false if it cannot.
 * Only our own regular file with one name: never through a symlink (O_NOFOLLOW), never another
 * user's file, never a hard link to a file elsewhere (the atomic rename would not write there).
 */
function rewriteInPlace(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openRegular(file, constants.O_RDWR);
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (!st.isFile() || st.nlink !== 1 || (uid !== undefined && st.uid !== uid)) return false;
    const size = st.size;
    const data = Buffer.from(text);
    if (data.length > size) return false;
    // Pad to the old size: trailing blanks are valid JSON, and the file never grows or shrinks.
    const out = Buffer.alloc(size, 0x20);
    data.copy(out);
    writeSync(fd, out, 0, size, 0);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
