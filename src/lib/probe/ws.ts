import WebSocket from 'ws';
import { connectExchange, deepExchange, type ConnectOutcome, type DeepOptions } from './deep.js';
import { classifyError } from './http.js';
import type { DeepStep, WsStep } from './types.js';

/** What to do after the challenge: `connect` (with the token, if any), and `health` when deep. */
export interface WsSession extends DeepOptions {
  deep: boolean;
}

/**
 * Opens ws://host:port and waits for the gateway's `connect.challenge`. With a session it then
 * sends `connect` and waits for the answer (and runs `health` when deep): OpenClaw logs a WARN
 * `closed before connect` for every connection closed before hello-ok, none after it. Then
 * closes with 1000. Never outlives `signal`, never leaves the socket open, never throws.
 */
export function wsStep(
  host: string,
  port: number,
  signal: AbortSignal,
  session?: WsSession,
): Promise<{ ws: WsStep; deep?: DeepStep }> {
  const started = performance.now();
  const step: WsStep = { connected: false, ms: 0, upgraded: false, challenge: false };
  let deepResult: DeepStep | undefined;
  return new Promise((resolve) => {
    const socket = openSocket(host, port);
    let settled = false;
    const finish = (error?: WsStep['error']) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error && !step.error) step.error = error;
      if (!step.ms) step.ms = Math.round(performance.now() - started);
      closeGently(socket);
      resolve(deepResult ? { ws: step, deep: deepResult } : { ws: step });
    };
    const onAbort = () => {
      if (session?.deep && step.challenge && !deepResult) {
        deepResult = { ms: Math.round(performance.now() - started), ok: false, code: 'TIMEOUT' };
      }
      if (session && step.challenge && !step.connect) step.connect = 'TIMEOUT';
      // The challenge came: the WebSocket answered in time, only the connect did not.
      finish(step.challenge ? undefined : 'timeout');
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
    let sessionRunning = false;
    socket.on('close', () => {
      if (!sessionRunning) finish(step.challenge ? undefined : 'protocol');
    });
    socket.on('message', (data) => {
      if (step.challenge) return;
      if (!isChallenge(data)) return finish('protocol');
      step.challenge = true;
      step.ms = Math.round(performance.now() - started);
      if (!session) return finish();
      sessionRunning = true;
      void runSession(socket, session, started, step).then((deep) => {
        if (deep) deepResult = deep;
        finish();
      });
    });
  });
}

function openSocket(host: string, port: number): WebSocket {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return new WebSocket(`ws://${hostPart}:${port}`, {
    perMessageDeflate: false,
    followRedirects: false,
  });
}

/** Closes with 1000; a close handshake the peer never answers must not keep the socket. */
function closeGently(socket: WebSocket): void {
  if (socket.readyState === socket.OPEN) socket.close(1000);
  if (socket.readyState !== socket.CLOSED) setTimeout(() => socket.terminate(), 200).unref();
}

/** Is this frame OpenClaw's `connect.challenge` event? */
function isChallenge(data: WebSocket.RawData): boolean {
  try {
    const frame = JSON.parse(String(data)) as { type?: string; event?: string } | null;
    return frame?.type === 'event' && frame.event === 'connect.challenge';
  } catch {
    return false;
  }
}

/** After the challenge: `connect` (noted in `step.connect`), then `health` when deep. */
function runSession(
  socket: WebSocket,
  session: WsSession,
  started: number,
  step: WsStep,
): Promise<DeepStep | undefined> {
  const onConnect = (c: ConnectOutcome) => (step.connect = c.ok ? 'hello-ok' : c.code);
  if (session.deep) return deepExchange(socket, session, started, onConnect);
  return connectExchange(socket, session).then((result) => {
    onConnect(result);
    return undefined;
  });
}
