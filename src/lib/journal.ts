import type { Config } from './config/load.js';
import { eventLogOptions, watchdogFiles } from './files.js';
import { appendEvents, type WatchdogEvent } from './store/events.js';
import { countLogged } from './store/counters.js';
import { saveState, type State } from './store/state.js';

/** What a check has carried out so far: the state and the events its actions left. */
export interface Progress {
  state: State;
  events: WatchdogEvent[];
}

/**
 * A check's record before its end. A restart is written down (state and events) as soon as the
 * gateway was started (or OpenClaw accepted the in-place restart request), before verify waits up
 * to restart.verifyTimeoutSec for it (or the in-place wait, up to its drain): a check killed
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
  /** How many of them are counted in counters.json (a count that failed is the final record's). */
  counted = 0;
  /** The final record has begun (it writes the state and events first, synchronously), or a
   * signal came: nothing more is written from here on. */
  closed = false;
  /** A signal came: the rest of the check records nothing (the signal handler did). */
  signalled = false;
  /** The final record's alerts while they are being sent (journal.interrupt queues them). */
  private sending: WatchdogEvent[] | null = null;

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

  /** The gateway was started, or its in-place restart request accepted (verify has not waited
   * yet): written now. */
  started(progress: Progress): void {
    this.progress = progress;
    this.stateTrue = true;
    if (!this.closed && this.owner()) this.write();
  }

  /**
   * SIGTERM or SIGINT, once (`owned`: the lock was still ours when it came): closes the journal
   * for the rest of the check, writes what was done (unless the final record has begun: it wrote
   * the state and events already), and returns the alerts not confirmed yet: before the final
   * record, all of the check's (they go only then); during it, those it is still sending (a send
   * cut short may have arrived: then it arrives twice, once marked late, rather than never).
   */
  interrupt(owned: boolean): { wrote: boolean; unalerted: WatchdogEvent[] } {
    const closed = this.closed;
    this.closed = true;
    this.signalled = true;
    if (!owned) return { wrote: false, unalerted: [] };
    if (closed) return { wrote: false, unalerted: this.sending ?? [] };
    const wrote = this.write();
    return { wrote, unalerted: [...this.head, ...(this.progress?.events ?? [])] };
  }

  /** The final record sends the alerts for `events` now (written, not yet confirmed). */
  alerting(events: WatchdogEvent[]): void {
    this.sending = [...events];
  }

  /** The final record's alerts were delivered, or queued in the outbox. */
  delivered(): void {
    this.sending = null;
  }

  /** Interrupted before any start: what was done so far (the incident its events opened, a stop,
   * a reap), with a decided restart undone (it did not happen: no backoff step, no crash loop). */
  private beforeStart(): State | null {
    if (!this.decided) return null;
    return { ...(this.progress?.state ?? this.decided.state), ...this.decided.undo };
  }

  /** Only while the lock is ours: the callers check (a signal abandons it first). */
  private write(): boolean {
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
    if (fresh.length) {
      try {
        appendEvents(files.events, fresh, this.now(), eventLogOptions(this.config));
        this.logged = all.length;
      } catch {
        return wrote;
      }
    }
    if (this.counted < this.logged) {
      try {
        // Counted as logged (the final record skips these); a count that failed, the next write
        // or the final record tries again (which says record_failed if it fails too).
        countLogged(files.counters, all.slice(this.counted, this.logged));
        this.counted = this.logged;
      } catch {
        // best effort, as the final record's own count
      }
    }
    return wrote || fresh.length > 0;
  }
}
