import type { Heartbeat } from '../config/schema.js';
import type { AlertContext } from './format.js';
import { safeUrl } from './format.js';
import { request, type HttpRequest } from './http.js';

/** What one check tells the heartbeat. */
export interface Beat {
  exitCode: number;
  /** One line: the check's status and detail. */
  reason: string;
  probeMs: number | null;
  /** The probe's verdict (`healthy`, `refused`, `unresponsive`, …). */
  verdict: string;
  /**
   * The check found the gateway healthy, or booting within its grace (the watchdog waits that
   * out: no outage yet). False when it found it not healthy, even when a restart fixed it.
   */
  healthy: boolean;
  /** Paused: the watchdog runs but leaves the gateway alone; pinged as alive, said in the message. */
  paused: boolean;
  /** Stopped by the user on purpose (`openclaw gateway stop`, `systemctl --user stop`): as for a
   * pause, pinged as alive, the reason in the message (the check's line says it). */
  stopped?: boolean;
  now: number;
}

/** The shape the URL gets: healthchecks.io's and Uptime Kuma's for their URLs under `auto`. */
export function heartbeatFormat(hb: Heartbeat): 'healthchecks' | 'uptime-kuma' | 'json' {
  if (hb.format !== 'auto') return hb.format;
  const url = new URL(hb.url);
  if (url.hostname === 'hc-ping.com' || /\/ping\/[^/]+/.test(url.pathname)) return 'healthchecks';
  if (url.pathname.includes('/api/push/')) return 'uptime-kuma';
  return 'json';
}

/** The heartbeat as it may appear in logs and output: its format and host only. */
export const heartbeatLabel = (hb: Heartbeat) =>
  `heartbeat ${heartbeatFormat(hb)} ${safeUrl(hb.url)}`;

/** `<url>/<suffix>`, the query kept. */
function withPath(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${suffix}`;
  return u.href;
}

/**
 * The request one check's ping is. Pure. Up: the check exits 0 and found the gateway healthy (or
 * booting within its grace), or is paused, or found it stopped by the user on purpose. healthchecks.io: `<url>` when up, `<url>/<exit code>`
 * when the check exits non-zero, `<url>/fail` when it exits 0 but found the gateway not healthy (a
 * crash a restart fixed), the reason as the body, naming host and gateway (`vps1/default:18789`). Uptime Kuma push:
 * `<url>?status=up|down&msg=<reason>&ping=<probe ms>`. json: a POST of the whole beat.
 */
export function beatRequest(
  hb: Heartbeat,
  beat: Beat,
  ctx: AlertContext,
): { url: string } & HttpRequest {
  const up = (beat.exitCode === 0 && beat.healthy) || beat.paused || beat.stopped === true;
  // which host, and which gateway of it: one ping URL per gateway, many gateways per host
  const who = ctx.gateway ? `${ctx.host}/${ctx.gateway}` : ctx.host;
  const line = beat.paused ? `paused (${beat.reason})` : beat.reason;
  const message = `exit ${beat.exitCode}: ${line}`.slice(0, 1000);
  switch (heartbeatFormat(hb)) {
    case 'healthchecks':
      return {
        url: up ? hb.url : withPath(hb.url, beat.exitCode === 0 ? 'fail' : String(beat.exitCode)),
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `openclaw-watchdog ${who}:${ctx.port}: ${message}`,
      };
    case 'uptime-kuma': {
      const u = new URL(hb.url);
      u.searchParams.set('status', up ? 'up' : 'down');
      u.searchParams.set('msg', `${who}: ${message}`.slice(0, 250));
      u.searchParams.set('ping', beat.probeMs === null ? '' : String(Math.round(beat.probeMs)));
      return { url: u.href, method: 'GET' };
    }
    case 'json':
      return {
        url: hb.url,
        method: 'POST',
        body: {
          status: beat.paused ? 'paused' : beat.stopped ? 'stopped' : up ? 'up' : 'down',
          exitCode: beat.exitCode,
          verdict: beat.verdict,
          reason: line,
          host: ctx.host,
          ...(ctx.gateway ? { gateway: ctx.gateway } : {}),
          port: ctx.port,
          probeMs: beat.probeMs,
          ts: new Date(beat.now).toISOString(),
        },
      };
  }
}

/** healthchecks.io's `<url>/start`, when asked for (`start: true`); null otherwise. */
export function startRequest(hb: Heartbeat): ({ url: string } & HttpRequest) | null {
  if (!hb.start || heartbeatFormat(hb) !== 'healthchecks') return null;
  return { url: withPath(hb.url, 'start'), method: 'POST' };
}

/**
 * Sends one heartbeat request within its timeout (or `timeoutMs`, when less is left): null when it
 * arrived, else the reason (never the URL).
 */
export function sendBeat(
  hb: Heartbeat,
  req: { url: string } & HttpRequest,
  timeoutMs = hb.timeoutMs,
  signal?: AbortSignal,
): Promise<string | null> {
  const { url, ...rest } = req;
  const ms = Math.max(1, Math.min(timeoutMs, hb.timeoutMs));
  return request(url, { ...rest, ...(signal ? { signal } : {}) }, ms);
}
