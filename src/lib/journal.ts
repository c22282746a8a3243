import type { Config } from './config/load.js';
import { eventLogOptions, watchdogFiles } from './files.js';
import { appendEvents, type WatchdogEvent } from './store/events.js';
import { saveState, type State } from './store/state.js';

/** What a check has carried out so far: the state and the events its actions left. */
export interface Progress {
  state: State;
  events: WatchdogEvent[];
}

/**
 * A check's record before its end. A restart is written down (state and events) as soon as the
 * gateway was started, before verify waits up to restart.verifyTimeoutSec for it: a check killed
 * during that wait (OOM, SIGTERM from a wrapper, a reboot, Ctrl-C) still leaves its
 * `gateway_down`/`gateway_restart` and its backoff step. On SIGTERM or SIGINT the check writes
 * what it did (`interrupted`): its events and its state; before a start, the state with the
 * decided restart undone (it did not happen), so that the next check neither logs the same
 * incident again nor counts a restart that never started. The final record then appends only the
 * events not yet logged (`logged`). Only while the check still holds its lock.
 */
export class Journal {
  /** The check's first events (state_reset, the decision's), before any action's. */
  private head: WatchdogEvent[] = [];
  /** The decided state, and what undoes a decided restart that has not started (the restart
   * bookkeeping from before the decision): what an interruption before the start saves. */
  private decided: { state: State; undo: Partial<State> } | null = null;
  private progress: Progress | null = null;
  /** A start was recorded: the state that goes with the progress is true to what was done. */
  private stateTrue = false;
  /** How many of the check's events (head, then the actions') are in the log already. */
  logged = 0;
  /** The final record has begun (it writes the state and events first, synchronously). */
  closed = false;

  constructor(
    private readonly config: Config,
    private readonly now: () => number,
    private readonly owner: () => boolean,
  ) {}

  begin(
    head: WatchdogEvent[],
    decided: { state: State; undo: Partial<State> } | null = null,
  ): void {
    this.head = head;
    this.decided = decided;
  }

  /** After each action: what a SIGTERM would record. */
  note(progress: Progress): void {
    this.progress = progress;
  }

  /** The gateway was started (verify has not waited yet): written now. */
  started(progress: Progress): void {
    this.progress = progress;
    this.stateTrue = true;
    this.write();
  }

  /** SIGTERM or SIGINT: what was done, written (false: nothing to write, or not ours to). */
  interrupted(): boolean {
    if (this.closed) return false;
    return this.write();
  }

  /** SIGTERM or SIGINT: the check's events whose alerts never went out (they go only at the
   * final record, which has not begun), while the check still holds its lock. */
  unalerted(): WatchdogEvent[] {
    if (this.closed || !this.owner()) return [];
    return [...this.head, ...(this.progress?.events ?? [])];
  }

  /** Interrupted before any start: what was done so far (the incident its events opened, a stop,
   * a reap), with a decided restart undone (it did not happen: no backoff step, no crash loop). */
  private beforeStart(): State | null {
    if (!this.decided) return null;
    return { ...(this.progress?.state ?? this.decided.state), ...this.decided.undo };
  }

  private write(): boolean {
    if (!this.owner()) return false;
    const files = watchdogFiles(this.config);
    let wrote = false;
    const state = this.stateTrue ? (this.progress?.state ?? null) : this.beforeStart();
    if (state) {
      try {
        saveState(files.state, state);
        wrote = true;
      } catch {
        // best effort: the final record (if it comes) says record_failed
      }
    }
    const all = [...this.head, ...(this.progress?.events ?? [])];
    const fresh = all.slice(this.logged);
    if (fresh.length === 0) return wrote;
    try {
      appendEvents(files.events, fresh, this.now(), eventLogOptions(this.config));
      this.logged = all.length;
      return true;
    } catch {
      return wrote;
    }
  }
}
