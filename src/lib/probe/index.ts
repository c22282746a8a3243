import { httpStep } from './http.js';
import type { ProbeResult, ProbeSteps } from './types.js';
import { decideVerdict } from './verdict.js';
import { wsStep } from './ws.js';

export interface ProbeOptions {
  host: string;
  port: number;
  timeoutMs: number;
  /** With `deep`, connect with this token and call `health` (token may be null for auth mode none). */
  deep?: { token: string | null; version: string };
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
      wsStep(host, port, signal, options.deep),
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
