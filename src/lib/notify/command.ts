import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import type { CommandTarget } from '../config/channel-settings.js';
import { argvSecrets, redactText } from '../redact.js';
import type { EventName } from '../store/event-types.js';
import type { Alert, Channel } from './channel-types.js';
import { alertText, headline, wantsEvent, type AlertContext } from './format.js';
import { channelKey } from './key.js';

/** SIGTERM, then this long, then SIGKILL. */
const KILL_GRACE_MS = 1000;
/** The tail of its stderr kept: the reason is its last non-empty line. */
const STDERR_BYTES = 4096;
/** After it exits, how long its stderr may stay open (held by what it started) before we stop reading. */
const STDERR_DRAIN_MS = 500;
/** The gateway's credentials: a notifier has no business with them. */
const GATEWAY_SECRETS = ['OPENCLAW_GATEWAY_TOKEN', 'OPENCLAW_GATEWAY_PASSWORD'];

/**
 * The environment a command notifier runs with: the watchdog's, without the gateway's credentials
 * and without any variable whose value is a configured secret.
 */
export function commandEnv(env: NodeJS.ProcessEnv, secrets: readonly string[]): NodeJS.ProcessEnv {
  const values = new Set(secrets.filter((s) => s.length > 0));
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => !GATEWAY_SECRETS.includes(name) && !(value && values.has(value)),
    ),
  );
}

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
  secrets: readonly string[] = [],
): Promise<string | null> {
  // what it prints may echo its own arguments (`curl -u user:pass`): redacted with them
  const hidden = [...secrets, ...argvSecrets(argv)];
  return new Promise((done) => {
    const resolve = (reason: string | null) => done(reason && redactText(reason, hidden));
    const [command, ...args] = argv as [string, ...string[]];
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        stdio: ['pipe', 'ignore', 'pipe'],
        detached: true,
        env: commandEnv(process.env, secrets),
      });
    } catch (error) {
      return resolve(`cannot start: ${(error as Error).message}`);
    }
    let stderr = Buffer.alloc(0);
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
      const all = Buffer.concat([stderr, d]);
      stderr = all.subarray(Math.max(0, all.length - STDERR_BYTES)); // the tail
    });
    child.stdin?.on('error', () => {}); // a command that does not read stdin
    child.once('error', (error: Error & { code?: string }) => {
      timers.forEach(clearTimeout);
      resolve(`cannot start: ${error.code ?? error.message}`);
    });
    child.once('exit', (code, sig) => {
      timers.forEach(clearTimeout);
      const finish = () => {
        child.stderr?.destroy();
        if (timedOut) return resolve(`no exit within ${timeoutMs} ms (killed)`);
        if (code === 0) return resolve(null);
        const lines = stderr.toString('utf8').split('\n');
        const last = lines
          .findLast((l) => l.trim())
          ?.trim()
          .slice(0, 200);
        const how = sig ? `killed by ${sig}` : `exit code ${code}`;
        resolve(last ? `${how}: ${last}` : how);
      };
      // what it wrote before it exited may still be in the pipe: read to its end, unless
      // something it started keeps the pipe open (then not past a short wait)
      const err = child.stderr;
      if (!err || err.readableEnded || err.destroyed) return finish();
      const wait = setTimeout(finish, STDERR_DRAIN_MS);
      err.once('close', () => {
        clearTimeout(wait);
        finish();
      });
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

/**
 * A command notifier: one run per alert. The label names the program, never its arguments.
 * `secrets`: the configured ones, kept out of its environment and its reason.
 */
export function commandChannel(
  target: CommandTarget,
  ctx: AlertContext,
  secrets: readonly string[] = [],
): Channel {
  return {
    kind: 'command',
    key: channelKey('command', ...target.argv),
    label: `command ${basename(target.argv[0]!)}`,
    wants: (name: EventName) => wantsEvent(target.events, name),
    ...(target.timeoutMs === null ? {} : { timeoutMs: target.timeoutMs }),
    // the caller passes the channel's own timeout, or less when the notify budget is short
    send: (alert, timeoutMs) =>
      runCommand(target.argv, `${JSON.stringify(commandInput(alert, ctx))}\n`, timeoutMs, secrets),
  };
}
