import { gatewayName } from '../fleet/names.js';
import { hostname } from 'node:os';
import type { Config } from '../config/load.js';
import { eventLogOptions, watchdogFiles } from '../files.js';
import { redactDeep } from '../redact.js';
import type { WatchdogEvent } from '../store/events.js';
import { loadOutbox, saveOutbox, type Outbox } from '../store/outbox.js';
import { channelsOf } from './channel.js';
import { describeEvent, knownEvent } from './describe.js';
import { beatRequest, heartbeatLabel, sendBeat, startRequest, type Beat } from './heartbeat.js';
import { alertsOf, deliver } from './send.js';
import { bound } from './outbox.js';

export interface Notified {
  events: WatchdogEvent[];
  /** The outbox after this check (null: not touched). */
  outbox: Outbox | null;
  /** Steps that could not be recorded (the outbox file). */
  failed: { step: string; file: string; error: string }[];
}

const context = (config: Config) => ({
  host: hostname(),
  port: config.port,
  gateway: gatewayName(config.paths),
});

/**
 * Alerts for a finished check, through every channel and the outbox, and its heartbeat, in
 * parallel (both after the actions: they never delay recovery). `ownState`: false when another
 * check took the lock over; this one then leaves the outbox to it.
 */
export async function notifyRun(
  config: Config,
  events: WatchdogEvent[],
  now: number,
  opts: {
    ownState: boolean;
    beat: (Omit<Beat, 'now'> & { started: StartPing }) | null;
    /** The alerts were delivered or queued in the outbox (the heartbeat may still be going). */
    delivered?: () => void;
  },
): Promise<Notified> {
  const [alerts, beat] = await Promise.all([
    opts.ownState
      ? alert(config, events, now).then((done) => {
          opts.delivered?.();
          return done;
        })
      : { events: [], outbox: null, failed: [] },
    opts.beat
      ? heartbeat(
          config,
          { ...opts.beat, reason: reasonOf(opts.beat, events), now },
          opts.beat.started,
        )
      : [],
  ]);
  return { ...alerts, events: [...alerts.events, ...beat] };
}

/** The check's line, and for a failed check its last error (the first line of it), redacted. */
function reasonOf(beat: { exitCode: number; reason: string }, events: WatchdogEvent[]): string {
  const error = beat.exitCode !== 0 ? events.filter((e) => e.level === 'error').at(-1) : undefined;
  const more = error ? `; ${describeEvent(error).split('\n')[0]}` : '';
  return `${beat.reason}${more}`;
}

async function alert(config: Config, events: WatchdogEvent[], now: number): Promise<Notified> {
  const { notify } = config.settings;
  const file = watchdogFiles(config).outbox;
  const channels = channelsOf(config.settings, context(config), eventLogOptions(config).secrets);
  const loaded = loadOutbox(file, knownEvent);
  if (!channels.length && !loaded.outbox.alerts.length)
    return { events: [], outbox: loaded.outbox, failed: [] };
  const result = await deliver(channels, events, loaded.outbox, {
    timeoutMs: notify.timeoutMs,
    now,
    secrets: eventLogOptions(config).secrets,
    unreadable: loaded.unreadable,
    limits: {
      max: notify.outboxMax,
      maxAgeMs: notify.outboxMaxAgeSec * 1000,
      retryDelayMs: notify.retryDelaySec * 1000,
      retryMaxDelayMs: notify.retryMaxDelaySec * 1000,
    },
  });
  const failed: Notified['failed'] = [];
  if (loaded.problem) failed.push({ step: 'outbox', file, error: loaded.problem });
  try {
    // written only when it changed: most checks, and every check of a setup that never failed
    // to deliver, leave it alone (no outbox.json at all then)
    if (
      JSON.stringify(result.outbox) !== JSON.stringify(loaded.outbox) ||
      loaded.problem ||
      loaded.unreadable
    )
      saveOutbox(file, result.outbox);
  } catch (error) {
    failed.push({ step: 'outbox', file, error: (error as Error).message });
  }
  return { events: result.events, outbox: result.outbox, failed };
}

/**
 * A check ended by SIGTERM or SIGINT before its alerts went out (they go only after the actions):
 * each channel's alerts for `events` are queued in the outbox, as undelivered ones are, and the
 * next check sends them (marked late). Nothing is sent now: the check is exiting, and a send may
 * take the whole notify budget. Synchronous file work only; best effort (a full disk: lost).
 */
export function queueAlerts(config: Config, events: WatchdogEvent[], now: number): number {
  const secrets = eventLogOptions(config).secrets;
  const channels = channelsOf(config.settings, context(config), secrets);
  const alerts = alertsOf(events, now, secrets);
  const fresh = channels.flatMap((channel) =>
    alerts
      .filter((a) => channel.wants(a.event.event))
      .map((a) => ({ ...a, channel: channel.key, queuedAt: now })),
  );
  if (!fresh.length) return 0;
  const file = watchdogFiles(config).outbox;
  const { outbox } = loadOutbox(file, knownEvent);
  const next = { ...outbox, alerts: [...outbox.alerts, ...fresh] };
  saveOutbox(file, bound(next, config.settings.notify.outboxMax).outbox);
  return fresh.length;
}

/**
 * The `/start` ping of a check that begins, when asked for: `done` resolves to its failure event;
 * `abort` ends it (the check is over and will not wait for it any longer).
 */
export type StartPing = { done: Promise<WatchdogEvent[]>; abort: () => void } | null;

export function startPing(config: Config): StartPing {
  const hb = config.settings.notify.heartbeat;
  const req = hb && startRequest(hb);
  if (!hb || !req) return null;
  const stop = new AbortController();
  const done = sendBeat(hb, req, hb.timeoutMs, stop.signal).then((error) => failure(config, error));
  return { done, abort: () => stop.abort() };
}

/**
 * The end ping, within the heartbeat's own timeout in all (the check holds its lock meanwhile): a
 * `/start` ping still unanswered gets half of it at most (then the end ping goes, and the `/start`
 * is aborted after it, its result unknown), the end ping what is left.
 */
async function heartbeat(config: Config, beat: Beat, started: StartPing) {
  const hb = config.settings.notify.heartbeat;
  if (!hb) return [];
  const t0 = performance.now();
  const before = started ? await within(started.done, hb.timeoutMs / 2, null) : [];
  const left = Math.floor(hb.timeoutMs - (performance.now() - t0));
  const req = beatRequest(hb, redactBeat(config, beat), context(config));
  const error = await sendBeat(hb, req, left);
  if (before === null) started?.abort(); // unanswered: waited for no longer, nor left running
  return [...(before ?? []), ...failure(config, error)];
}

/** `promise`, or `fallback` when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The beat with its reason redacted: it leaves the machine. */
function redactBeat(config: Config, beat: Beat): Beat {
  return { ...beat, reason: redactDeep(beat.reason, eventLogOptions(config).secrets) };
}

function failure(config: Config, error: string | null): WatchdogEvent[] {
  const hb = config.settings.notify.heartbeat;
  if (!error || !hb) return [];
  const safe = redactDeep(error, eventLogOptions(config).secrets);
  return [{ level: 'warn', event: 'heartbeat_failed', target: heartbeatLabel(hb), error: safe }];
}
