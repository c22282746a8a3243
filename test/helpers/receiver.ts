import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';

export interface Receiver {
  url: string;
  requests: {
    path: string;
    body: unknown;
    authorization?: string;
    method?: string;
    headers?: IncomingHttpHeaders;
  }[];
  close(): Promise<void>;
}

/** A real local webhook receiver. `hang`: accepts and never answers. `port`: a given one. */
export async function startReceiver(
  mode: 'ok' | 'hang' | 'fail' = 'ok',
  port = 0,
): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      requests.push({
        path: req.url ?? '/',
        body,
        authorization: req.headers.authorization,
        method: req.method,
        headers: req.headers,
      });
      if (mode === 'hang') return open.add(res);
      res.writeHead(mode === 'fail' ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${bound}/hook/secret-part`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const started: Receiver[] = [];

/** Starts a receiver that `closeReceivers()` (in afterEach) closes. */
export async function receiver(mode?: 'ok' | 'hang' | 'fail', port?: number): Promise<Receiver> {
  return keepReceiver(await startReceiver(mode, port));
}

/** Closes it with the others after the test. */
export function keepReceiver<R extends Pick<Receiver, 'close'>>(r: R): R {
  started.push(r as unknown as Receiver);
  return r;
}

/** Closes every receiver started through `receiver()` / `keepReceiver()`. */
export async function closeReceivers(): Promise<void> {
  for (const r of started.splice(0)) await r.close();
}
