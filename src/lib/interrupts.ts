// How a check ends when something outside ends it (SIGTERM, SIGINT, SIGHUP): it writes down what
// it did, queues its unsent alerts, releases its lock and exits 1 (issue 24). check.ts runs it.
import type { Config } from './config/load.js';
import { err } from './cli/terminal.js';
import { Journal } from './journal.js';
import type { CheckLock } from './store/lock.js';

/** What the handler reads of a check: its config and clock; it sets the journal. */
export interface Interruptible {
  config: Config;
  now: () => number;
  journal?: Journal;
}

/** What ends a check from outside and lets it record first: a wrapper's timeout or a shutdown
 * (SIGTERM), Ctrl-C (SIGINT), a closed terminal or the kernel's hang-up of a stopped check whose
 * process group was orphaned (SIGHUP, seen in the soak). */
const INTERRUPTS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * SIGTERM, SIGINT or SIGHUP (a wrapper's timeout, Ctrl-C, a shutdown, a closed terminal) while the check holds its lock. At
 * once, synchronously: the lock is abandoned and the journal closed, so that the rest of the check
 * (still running until the exit) kills, spawns and records nothing more. Then, once: it writes
 * down what it did (journal.ts), queues the alerts not confirmed yet in the outbox (the next check
 * sends them), releases the lock, says so in one line and exits 1. A second signal changes
 * nothing. Returns the function that removes the handlers.
 */
export function onSignals(
  run: Interruptible,
  lock: CheckLock,
  early: NodeJS.Signals | null,
): () => void {
  const journal = new Journal(run.config, run.now, lock.stillOwner);
  run.journal = journal;
  let handled = false;
  const handler = (signal: NodeJS.Signals) => {
    if (handled) return;
    handled = true;
    const owned = lock.stillOwner();
    const release = lock.abandon();
    const { wrote, unalerted } = journal.interrupt(owned);
    // Its alerts wait in the outbox for the next check (loaded only when there are some).
    const queued = unalerted.length
      ? import('./notify/run.js').then((m) => m.queueAlerts(run.config, unalerted, run.now()))
      : Promise.resolve(0);
    void queued
      .catch(() => 0)
      .then(() => release())
      .finally(() => {
        const what = wrote ? 'recorded what it did' : 'nothing to record';
        err(`openclaw-watchdog: check interrupted by ${signal}; ${what}\n`);
        process.exit(1);
      });
  };
  for (const signal of INTERRUPTS) process.on(signal, handler);
  if (early) handler(early);
  return () => {
    for (const signal of INTERRUPTS) process.off(signal, handler);
  };
}

/** Notes SIGTERM/SIGINT/SIGHUP (the first) while the check lock is being taken; `stop()` removes its
 * handlers and says which came, if any. */
export class EarlySignal {
  private signal: NodeJS.Signals | null = null;
  private readonly note = (signal: NodeJS.Signals): void => {
    this.signal ??= signal;
  };
  constructor(private on: boolean) {
    if (!on) return;
    for (const signal of INTERRUPTS) process.on(signal, this.note);
  }
  stop(): NodeJS.Signals | null {
    if (this.on) {
      for (const signal of INTERRUPTS) process.off(signal, this.note);
      this.on = false;
    }
    return this.signal;
  }
  /** No lock was taken: a signal that came ends the process as it would have (its default). */
  reraise(): void {
    const signal = this.stop();
    if (signal) process.kill(process.pid, signal);
  }
}

/** A check interrupted by a signal: its handler records and exits; the check itself goes no
 * further (a promise that never settles). */
export const interrupted = (run: Interruptible): boolean => run.journal?.signalled === true;
export const never = <T>(): Promise<T> => new Promise<T>(() => {});
