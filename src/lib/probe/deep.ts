import type WebSocketType from 'ws';
import {
  cutText,
  gatewayId,
  gatewayText,
  gatewayVersion,
  GATEWAY_ID_CHARS,
} from '../gateway-text.js';
import type { ChannelState, DeepStep } from './types.js';

export interface DeepOptions {
  token: string | null;
  version: string;
  /** Operator scopes asked for at connect; `operator.read` when absent. */
  scopes?: string[];
  /** Who connects; the probe's `openclaw-probe`/`probe` when absent. */
  client?: { id: string; mode: string };
}

export interface ResFrame {
  type?: string;
  id?: string;
  ok?: boolean;
  payload?: Record<string, unknown>;
  error?: { code?: string; message?: string; details?: { code?: unknown; reason?: unknown } };
}

/** How `connect` ended: hello-ok, or the gateway's error code (CLOSED when it hung up first). */
export interface ConnectOutcome {
  ok: boolean;
  code?: string;
  message?: string;
  version?: string;
}

/**
 * After the challenge: `connect` (protocol 4, client `openclaw-probe`/`probe`, the token when one
 * is configured) and its answer. A connection that gets hello-ok is one the gateway does not log a
 * warning for when it closes; one closed before that is `closed before connect` (WARN).
 */
export async function connectExchange(
  socket: WebSocketType,
  options: DeepOptions,
): Promise<ConnectOutcome> {
  const connect = await request(socket, 'connect', {
    minProtocol: 4,
    maxProtocol: 4,
    client: {
      id: options.client?.id ?? 'openclaw-probe',
      version: options.version,
      platform: process.platform,
      mode: options.client?.mode ?? 'probe',
    },
    role: 'operator',
    scopes: options.scopes ?? ['operator.read'],
    ...(options.token ? { auth: { token: options.token } } : {}),
  });
  if (!connect.ok) return { ok: false, ...errorFields(connect) };
  const server = connect.payload?.server as { version?: unknown } | undefined;
  const version = gatewayVersion(server?.version);
  return version ? { ok: true, version } : { ok: true };
}

/** After the challenge: connect → hello-ok → health RPC. */
export async function deepExchange(
  socket: WebSocketType,
  options: DeepOptions,
  started: number,
  onConnect: (outcome: ConnectOutcome) => void = () => {},
): Promise<DeepStep> {
  const elapsed = () => Math.round(performance.now() - started);
  const connect = await connectExchange(socket, options);
  onConnect(connect);
  if (!connect.ok) return { ...connect, ms: elapsed() };
  const health = await request(socket, 'health', {});
  if (!health.ok)
    return { ms: elapsed(), ok: false, version: connect.version, ...errorFields(health) };
  return {
    ms: elapsed(),
    ok: true,
    ...(connect.version ? { version: connect.version } : {}),
    channels: channelStates(health.payload?.channels),
  };
}

export function errorFields(frame: ResFrame): { code: string; message?: string; reason?: string } {
  // OpenClaw answers a refused connect with INVALID_REQUEST and the reason in details.code
  // (AUTH_TOKEN_MISMATCH, …): the specific code is the useful one.
  const code =
    gatewayId(frame.error?.details?.code) ??
    gatewayId(frame.error?.code) ??
    (frame.type === 'closed' ? 'CLOSED' : 'ERROR');
  const message = gatewayText(frame.error?.message);
  // A suspended gateway (an update draining it) answers UNAVAILABLE, reason gateway-suspending.
  const why = frame.error?.details?.reason;
  const reason = typeof why === 'string' ? { reason: why.slice(0, 64) } : {};
  return message ? { code, message, ...reason } : { code, ...reason };
}

let nextId = 0;
/** One request frame and its answer (`{type: 'closed'}` when the socket closed first). */
export function request(socket: WebSocketType, method: string, params: unknown): Promise<ResFrame> {
  const id = `wd${++nextId}`;
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      let frame: ResFrame;
      try {
        frame = JSON.parse(String(data)) as ResFrame;
      } catch {
        return;
      }
      if (frame.id !== id) return;
      cleanup();
      resolve(frame);
    };
    const onClose = () => {
      cleanup();
      resolve({ type: 'closed', ok: false });
    };
    const cleanup = () => {
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(JSON.stringify({ type: 'req', id, method, params }));
  });
}

/** Each channel's state from the health payload (`channels.<id>`), tolerant of missing fields. */
export function channelStates(channels: unknown): ChannelState[] {
  if (!channels || typeof channels !== 'object') return [];
  return Object.entries(channels as Record<string, Record<string, unknown>>).map(([id, c]) => ({
    id: cutText(id, GATEWAY_ID_CHARS),
    running: typeof c?.running === 'boolean' ? c.running : null,
    connected: typeof c?.connected === 'boolean' ? c.connected : null,
    state: gatewayId(c?.healthState) ?? gatewayId(c?.lifecycle),
    lastError: gatewayText(c?.lastError),
  }));
}
