import {
  cutText,
  gatewayId,
  gatewayVersion,
  GATEWAY_ID_CHARS,
  GATEWAY_LIST_ITEMS,
} from '../gateway-text.js';
import type { ProbeResult, ProbeSteps, Verdict } from './types.js';

type Outcome = Omit<ProbeResult, 'host' | 'port' | 'ms' | 'steps'>;

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The one verdict, from what each step saw. Pure.
 * - OpenClaw answered (HTTP /healthz "live" or the WS challenge): `starting` while /startupz says
 *   starting or draining, or `connect` said UNAVAILABLE; else `healthy`. Readiness and event-loop
 *   figures are reported, never a verdict.
 * - Something answered, but not as OpenClaw: `not-openclaw`.
 * - TCP accepted, no answer within the budget: `unresponsive`. Nothing listening: `refused`.
 */
export function decideVerdict(steps: ProbeSteps): Outcome {
  const { healthz, startupz, readyz, ws, deep } = steps;
  const healthBody = obj(healthz?.body);
  const live = healthz?.status === 200 && (healthBody.status === 'live' || healthBody.ok === true);
  const startupBody = obj(startupz?.body);
  const startup =
    startupz?.status === 200 || startupz?.status === 503 ? gatewayId(startupBody.status) : null;
  const readyBody = obj(readyz?.body);
  const ready = typeof readyBody.ready === 'boolean' ? readyBody.ready : null;
  const failing = Array.isArray(readyBody.failing)
    ? readyBody.failing
        .slice(0, GATEWAY_LIST_ITEMS)
        .map((f) => cutText(String(f), GATEWAY_ID_CHARS))
    : [];
  const suppressed = Array.isArray(readyBody.suppressed)
    ? readyBody.suppressed
        .filter((c): c is string => typeof c === 'string')
        .slice(0, 20)
        .map((c) => cutText(c, GATEWAY_ID_CHARS))
    : [];
  const eventLoop = Object.keys(obj(readyBody.eventLoop)).length ? obj(readyBody.eventLoop) : null;
  const version = gatewayVersion(startupBody.version) ?? deep?.version ?? null;
  const base = { startup, ready, failing, suppressed, eventLoop, version };

  if (live || ws?.challenge) {
    if (startup === 'starting' || startup === 'draining') {
      return { ...base, verdict: 'starting', reason: `/startupz says ${startup}` };
    }
    if ((deep && !deep.ok && deep.code === 'UNAVAILABLE') || ws?.connect === 'UNAVAILABLE') {
      return { ...base, verdict: 'starting', reason: 'connect answered "gateway starting"' };
    }
    const how =
      live && ws?.challenge
        ? '/healthz live, WebSocket challenge'
        : live
          ? '/healthz live'
          : 'WebSocket challenge';
    return { ...base, verdict: 'healthy', reason: how };
  }
  const http = [healthz, startupz, readyz].filter((s) => s !== undefined);
  const all = [...http, ...(ws ? [ws] : [])];
  const answered =
    http.some((s) => s.status !== undefined) || ws?.status !== undefined || ws?.upgraded;
  if (answered) {
    const what = healthz?.status !== undefined ? `HTTP ${healthz.status} on /healthz` : 'an answer';
    return { ...base, verdict: 'not-openclaw', reason: `${what}, no OpenClaw challenge` };
  }
  if (all.length > 0 && all.every((s) => s.error === 'refused')) {
    return { ...base, verdict: 'refused', reason: 'nothing listens on the port' };
  }
  // Accepted, then reset at once, with no answer: the listener is closing (a killed process
  // whose threads are still exiting holds its socket for a moment). Nothing serves the port.
  if (all.length > 0 && all.every((s) => s.error === 'refused' || s.error === 'reset')) {
    return { ...base, verdict: 'refused', reason: 'connections reset: the listener is closing' };
  }
  const verdict: Verdict = 'unresponsive';
  const accepted = all.some((s) => s.connected);
  return {
    ...base,
    verdict,
    reason: accepted ? 'accepts connections, answers nothing in time' : 'no answer in time',
  };
}
