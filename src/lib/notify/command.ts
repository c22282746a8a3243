import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import type { CommandTarget } from '../config/channel-settings.js';
import type { EventName } from '../store/event-types.js';
import type { Alert, Channel } from './channel.js';
import { alertText, headline, wantsEvent, type AlertContext } from './format.js';
import { channelKey } from './key.js';

/** SIGTERM, then this long, then SIGKILL. */
const KILL_GRACE_MS = 1000;
const STDERR_BYTES = 4096;

/** What a command gets on stdin: the generic JSON alert, with `text` (headline and evidence). */
export function commandInput(alert: Alert, ctx: AlertContext) {
  const { level, event, at: _at, ...details } = alert.event;
  const ts = new Date(alert.at).toISOString();
  const late = alert.late ? { late: true, sentAt: new Date(alert.late.sentAt).toISOString() } : {};
  const style = { max: 64 * 1024, unit: 'chars', fence: false } as const;
  return {
    id: alert.id,
    event,
    ts,
    ...late,
    host: ctx.host,
    port: ctx.port,
    level,
    message: headline(alert.event, ctx, ts, alert),
    text: alertText(alert.event, ctx, style, ts, alert),
    details,
  };
}

/**
 * Runs argv (no shell) in its own process group with the alert as JSON on stdin. Null when it
 * exits 0; otherwise a short reason: its exit code and last stderr line, or that it was killed at
 * the timeout. Only our own child (not yet reaped: its pid cannot have been reused) and its
 * process group are signalled: SIGTERM, then SIGKILL after a grace.
 */
export function runCommand(
  argv: string[],
  input: string,
  timeoutMs: number,
): Promise<string | null> {
  return new Promise((resolve) => {
    const [command, ...args] = argv as [string, ...string[]];
    let child: ChildProcess;
    try {
      child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    } catch (error) {
      return resolve(`cannot start: ${(error as Error).message}`);
    }
    let stderr = '';
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    const signal = (sig: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, sig); // the group we created: the command and what it started
      } catch {
        child.kill(sig);
      }
    };
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_BYTES) stderr += d.toString('utf8');
    });
    child.stdin?.on('error', () => {}); // a command that does not read stdin
    child.once('error', (error: Error & { code?: string }) => {
      timers.forEach(clearTimeout);
      resolve(`cannot start: ${error.code ?? error.message}`);
    });
    child.once('exit', (code, sig) => {
      timers.forEach(clearTimeout);
      child.stderr?.destroy();
      if (timedOut) return resolve(`no exit within ${timeoutMs} ms (killed)`);
      if (code === 0) return resolve(null);
      const last = stderr.trim().split('\n').pop()?.trim().slice(0, 200);
      const how = sig ? `killed by ${sig}` : `exit code ${code}`;
      resolve(last ? `${how}: ${last}` : how);
    });
    timers.push(
      setTimeout(() => {
        timedOut = true;
        signal('SIGTERM');
        timers.push(setTimeout(() => signal('SIGKILL'), KILL_GRACE_MS));
      }, timeoutMs),
    );
    child.stdin?.end(input);
  });
}

/** A command notifier: one run per alert. The label names the program, never its arguments. */
export function commandChannel(target: CommandTarget, ctx: AlertContext): Channel {
  return {
    kind: 'command',
    key: channelKey('command', ...target.argv),
    label: `command ${basename(target.argv[0]!)}`,
    wants: (name: EventName) => wantsEvent(target.events, name),
    send: (alert, timeoutMs) =>
      runCommand(
        target.argv,
        `${JSON.stringify(commandInput(alert, ctx))}\n`,
        target.timeoutMs ?? timeoutMs,
      ),
  };
}
