import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Receiver {
  url: string;
  requests: { path: string; body: unknown; authorization?: string }[];
  close(): Promise<void>;
}

/** A real local webhook receiver. `hang`: accepts and never answers. */
export async function startReceiver(mode: 'ok' | 'hang' | 'fail' = 'ok'): Promise<Receiver> {
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
      requests.push({ path: req.url ?? '/', body, authorization: req.headers.authorization });
      if (mode === 'hang') return open.add(res);
      res.writeHead(mode === 'fail' ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook/secret-part`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
