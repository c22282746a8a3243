import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../../../src/lib/notify/http.js';
import { telegramChannel } from '../../../src/lib/notify/telegram.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/**
 * A real receiver that answers `status` with a body that never ends (as fast as the client
 * reads it); `sent()` is what it wrote until the client let go.
 */
async function endless(status: number) {
  let written = 0;
  let closed = false;
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!closed && res.write(chunk)) written += chunk.length;
      if (!closed) written += chunk.length;
    };
    res.on('drain', pump);
    res.on('close', () => (closed = true));
    pump();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, sent: () => written, closed: () => closed };
}

const CAP = 8 * 1024 * 1024; // far above the 64 KiB read plus socket buffers, far below the old GBs

describe('reply bodies are read up to a cap, then abandoned', () => {
  it('an endless 200 reply: delivered, the connection dropped after a small read', async () => {
    const r = await endless(200);
    expect(await request(`${r.url}/hook`, { body: { a: 1 } }, 3000)).toBeNull();
    await expect.poll(r.closed).toBe(true);
    expect(r.sent()).toBeLessThan(CAP);
  });

  it('an endless 500 reply: failed with its status, the connection dropped after a small read', async () => {
    const r = await endless(500);
    expect(await request(`${r.url}/hook`, { body: { a: 1 } }, 3000)).toBe('HTTP 500');
    await expect.poll(r.closed).toBe(true);
    expect(r.sent()).toBeLessThan(CAP);
  });

  it('Telegram: an endless answer to sendMessage is not read whole', async () => {
    const r = await endless(400);
    const channel = telegramChannel(
      { botToken: '123456:abc', chatId: '1', apiRoot: r.url, events: null },
      { host: 'h', port: 1 },
    );
    const alert = { id: 'a', at: 0, event: { level: 'info', event: 'notify_test' } as const };
    expect(await channel.send(alert, 3000)).toBe('HTTP 400');
    await expect.poll(r.closed).toBe(true);
    expect(r.sent()).toBeLessThan(CAP);
  });
});
