import type { Config } from '../config/load.js';
import { packageVersion } from '../version.js';
import { httpStep } from './http.js';
import type { ProbeResult, ProbeSteps } from './types.js';
import { decideVerdict } from './verdict.js';
import { wsStep, type WsSession } from './ws.js';

export interface ProbeOptions {
  host: string;
  port: number;
  timeoutMs: number;
  /** With `deep`, connect with this token and call `health` (token may be null for auth mode none). */
  deep?: { token: string | null; version: string };
  /**
   * The gateway's auth (config token, gateway.auth.mode). With a token, or mode `none`, the probe
   * finishes the handshake (connect → hello-ok) after the challenge, which the gateway does not log;
   * without, it closes after the challenge and the gateway logs one `closed before connect` WARN.
   */
  auth?: { token: string | null; mode: string | null };
}

/** How this watchdog probes its gateway (configured host, port, budget and auth); `overrides` win. */
export function probeOptions(config: Config, overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    host: config.host,
    port: config.port,
    timeoutMs: config.settings.probe.timeoutMs,
    auth: { token: config.token, mode: config.authMode },
    ...overrides,
  };
}

/** What the WebSocket step does after the challenge (see ProbeOptions.auth). */
export function wsSession(options: ProbeOptions): WsSession | undefined {
  if (options.deep) return { ...options.deep, deep: true };
  const { auth } = options;
  if (!auth) return undefined;
  const byToken = auth.token !== null && auth.mode !== 'password' && auth.mode !== 'trusted-proxy';
  if (!byToken && auth.mode !== 'none') return undefined;
  return { token: auth.token, version: packageVersion(), deep: false };
}

/** Probes the gateway: HTTP probes and the WebSocket challenge in parallel, one hard budget. */
export async function probeGateway(options: ProbeOptions): Promise<ProbeResult> {
  const { host, port, timeoutMs } = options;
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const { signal } = controller;
  try {
    const [healthz, startupz, readyz, ws] = await Promise.all([
      httpStep(host, port, '/healthz', signal),
      httpStep(host, port, '/startupz', signal),
      httpStep(host, port, '/readyz', signal),
      wsStep(host, port, signal, wsSession(options)),
    ]);
    const steps: ProbeSteps = { healthz, startupz, readyz, ws: ws.ws };
    if (ws.deep) steps.deep = ws.deep;
    const outcome = decideVerdict(steps);
    return { host, port, ms: Math.round(performance.now() - started), ...outcome, steps };
  } finally {
    clearTimeout(timer);
  }
}

export type { ProbeResult, Verdict } from './types.js';
