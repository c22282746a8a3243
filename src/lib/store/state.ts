import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';

/** What one check leaves for the next: `<state dir>/watchdog/state.json`. Times are epoch ms. */
export interface State {
  version: 1;
  lastCheckAt: number | null;
  lastVerdict: string | null;
  /** Start of the current run of healthy checks. */
  healthySince: number | null;
  /** The last time a check saw the gateway healthy. */
  lastHealthyAt: number | null;
  /** First check that saw the gateway accept connections and answer nothing. */
  unresponsiveSince: number | null;
  /** First check that saw /startupz say starting or draining, in the current stretch. */
  startingSince: number | null;
  /** A live gateway process that is not listening, and since when the checks have seen it so. */
  notListening: { pid: number; since: number } | null;
  /** The open incident: from first seeing trouble to healthy again. */
  incident: { kind: 'down' | 'hung' | 'conflict'; since: number } | null;
  restarts: {
    total: number;
    consecutive: number;
    lastAt: number | null;
    nextAllowedAt: number | null;
  };
  crashLoopNotified: boolean;
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
  /** When the open incident last alerted (for notify.remindAfterSec). */
  lastAlertAt: number | null;
}

export function freshState(): State {
  return {
    version: 1,
    lastCheckAt: null,
    lastVerdict: null,
    healthySince: null,
    lastHealthyAt: null,
    unresponsiveSince: null,
    startingSince: null,
    notListening: null,
    incident: null,
    restarts: { total: 0, consecutive: 0, lastAt: null, nextAllowedAt: null },
    crashLoopNotified: false,
    slowestBootSec: null,
    spawned: null,
    orphansReapedTotal: 0,
    lastAlertAt: null,
  };
}

export type LoadedState = { state: State; problem: string | null };

/** Reads the state; a missing file is a fresh state, a torn or foreign one is replaced (and said). */
export function loadState(file: string): LoadedState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { state: freshState(), problem: null };
    return { state: freshState(), problem: `unreadable: ${(error as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { state: freshState(), problem: 'not valid JSON (torn write?)' };
  }
  const candidate = raw as Partial<State> | null;
  if (!candidate || typeof candidate !== 'object' || candidate.version !== 1) {
    return { state: freshState(), problem: 'unknown state version' };
  }
  const fresh = freshState();
  const merged = { ...fresh, ...candidate, restarts: { ...fresh.restarts, ...candidate.restarts } };
  return { state: merged, problem: null };
}

export function saveState(file: string, state: State): void {
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
