import WebSocket from 'ws';
import type { Config } from '../config/load.js';
import { packageVersion } from '../version.js';
import { connectExchange, errorFields, request } from './deep.js';

/** One RPC's answer: its payload, or the gateway's error code (CLOSED, TIMEOUT, NO_TOKEN, …). */
export type RpcAnswer =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; code: string; message?: string; reason?: string };

export interface RpcCall {
  method: string;
  params: Record<string, unknown>;
}

export interface RpcOptions {
  /** Operator scopes to ask for at connect (e.g. operator.admin for channels.stop). */
  scopes: string[];
  /** Budget for the whole session: connect and every call. */
  timeoutMs: number;
  /** Who connects (see deep.ts); RPC_CLIENT (`cli`/`cli`) when absent. OpenClaw 2026.9.6 drops
   * every scope a token connection without a device identity asks for, unless it is a local
   * backend client (`gateway-client`/`backend`) or the CLI. */
  client?: { id: string; mode: string };
}

/** A local backend client: keeps the scopes it asks for over a token connection on loopback. */
export const BACKEND_CLIENT = { id: 'gateway-client', mode: 'backend' };

/**
 * The client RPC sessions connect as. OpenClaw 2026.9.6 drops the scopes a token connect without a
 * device identity asks for unless it is a local `cli`/`cli` client (or `gateway-client`/`backend`):
 * as the probe's `openclaw-probe`, channels.status answers `missing scope: operator.read`.
 */
const RPC_CLIENT = { id: 'cli', mode: 'cli' };

/**
 * Calls gateway RPCs over one WebSocket session: challenge, `connect` with the configured token and
 * the scopes asked for, then each call in order. Never throws; every failure is an answer. Without
 * a token (and gateway.auth.mode not `none`) nothing is sent: NO_TOKEN.
 */
export async function callGateway(
  config: Config,
  calls: RpcCall[],
  options: RpcOptions,
): Promise<RpcAnswer[]> {
  const fail = (code: string, message?: string): RpcAnswer[] =>
    calls.map(() => (message ? { ok: false, code, message } : { ok: false, code }));
  if (config.token === null && config.authMode !== 'none') return fail('NO_TOKEN');
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const socket = new WebSocket(`ws://${host}:${config.port}`, {
    perMessageDeflate: false,
    followRedirects: false,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RpcAnswer[]>((resolve) => {
    timer = setTimeout(() => resolve(fail('TIMEOUT')), options.timeoutMs);
  });
  try {
    return await Promise.race([session(socket, config, calls, options, fail), timeout]);
  } finally {
    clearTimeout(timer);
    socket.terminate();
  }
}

async function session(
  socket: WebSocket,
  config: Config,
  calls: RpcCall[],
  options: RpcOptions,
  fail: (code: string, message?: string) => RpcAnswer[],
): Promise<RpcAnswer[]> {
  const challenged = await new Promise<string | null>((resolve) => {
    socket.once('error', (e: Error & { code?: string }) => resolve(e.code ?? 'ERROR'));
    socket.once('close', () => resolve('CLOSED'));
    socket.once('message', () => resolve(null));
  });
  if (challenged) return fail(challenged);
  const connect = await connectExchange(socket, {
    token: config.token,
    version: packageVersion(),
    scopes: options.scopes,
    client: options.client ?? RPC_CLIENT,
  });
  if (!connect.ok) return fail(connect.code ?? 'ERROR', connect.message);
  const answers: RpcAnswer[] = [];
  for (const call of calls) {
    const res = await request(socket, call.method, call.params);
    answers.push(
      res.ok ? { ok: true, payload: res.payload ?? {} } : { ok: false, ...errorFields(res) },
    );
  }
  return answers;
}
