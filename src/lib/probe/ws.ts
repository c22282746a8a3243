import WebSocket from 'ws';
import { deepExchange, type DeepOptions } from './deep.js';
import { classifyError } from './http.js';
import type { DeepStep, WsStep } from './types.js';

/**
 * Opens ws://host:port, waits for the gateway's `connect.challenge`, optionally runs the deep
 * exchange (connect → hello-ok → health), then closes with 1000. Never outlives `signal`, never
 * leaves the socket open, never throws.
 */
export function wsStep(
  host: string,
  port: number,
  signal: AbortSignal,
  deep?: DeepOptions,
): Promise<{ ws: WsStep; deep?: DeepStep }> {
  const started = performance.now();
  const step: WsStep = { connected: false, ms: 0, upgraded: false, challenge: false };
  let deepResult: DeepStep | undefined;
  return new Promise((resolve) => {
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const socket = new WebSocket(`ws://${hostPart}:${port}`, {
      perMessageDeflate: false,
      followRedirects: false,
    });
    let settled = false;
    const finish = (error?: WsStep['error']) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error && !step.error) step.error = error;
      if (!step.ms) step.ms = Math.round(performance.now() - started);
      if (socket.readyState === socket.OPEN) socket.close(1000);
      // A close handshake the peer never answers must not keep the socket: terminate soon after.
      if (socket.readyState !== socket.CLOSED) setTimeout(() => socket.terminate(), 200).unref();
      resolve(deepResult ? { ws: step, deep: deepResult } : { ws: step });
    };
    const onAbort = () => {
      if (deep && step.challenge && !deepResult) {
        deepResult = { ms: Math.round(performance.now() - started), ok: false, code: 'TIMEOUT' };
      }
      finish('timeout');
      socket.terminate();
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    socket.on('upgrade', () => {
      step.connected = true;
      step.upgraded = true;
    });
    socket.on('unexpected-response', (_req, res) => {
      step.connected = true;
      step.status = res.statusCode;
      res.resume();
      finish('protocol');
    });
    socket.on('error', (error) => finish(signal.aborted ? 'timeout' : classifyError(error)));
    let deepRunning = false;
    socket.on('close', () => {
      if (!deepRunning) finish(step.challenge ? undefined : 'protocol');
    });
    socket.on('message', (data) => {
      let frame: { type?: string; event?: string } | undefined;
      try {
        frame = JSON.parse(String(data));
      } catch {
        frame = undefined;
      }
      if (!step.challenge) {
        if (frame?.type !== 'event' || frame.event !== 'connect.challenge')
          return finish('protocol');
        step.challenge = true;
        step.ms = Math.round(performance.now() - started);
        if (!deep) return finish();
        deepRunning = true;
        deepExchange(socket, deep, started).then((result) => {
          deepResult = result;
          finish();
        });
      }
    });
  });
}
