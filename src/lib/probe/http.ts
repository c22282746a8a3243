import { request } from 'node:http';
import { errorCode } from '../errors.js';
import type { HttpStep, StepError } from './types.js';

const MAX_BODY = 64 * 1024;

export function classifyError(error: unknown): StepError {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (code === 'ABORT_ERR' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'HPE_INVALID_CONSTANT' || code?.startsWith('HPE_')) return 'protocol';
  return 'other';
}

/** GET one unauthenticated probe path; ends by itself when `signal` aborts. Never throws. */
export function httpStep(
  host: string,
  port: number,
  path: string,
  signal: AbortSignal,
): Promise<HttpStep> {
  const started = performance.now();
  let connected = false;
  return new Promise((resolve) => {
    const done = (fields: Partial<HttpStep>) =>
      resolve({ path, connected, ms: Math.round(performance.now() - started), ...fields });
    const req = request({
      host,
      port,
      path,
      method: 'GET',
      agent: false,
      signal,
      headers: { connection: 'close', accept: 'application/json' },
    });
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    req.on('error', (error) => done({ error: signal.aborted ? 'timeout' : classifyError(error) }));
    req.on('response', (res) => {
      connected = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      res.on('error', () =>
        done({ status: res.statusCode, error: signal.aborted ? 'timeout' : 'reset' }),
      );
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        done({ status: res.statusCode, body });
      });
    });
    req.end();
  });
}
