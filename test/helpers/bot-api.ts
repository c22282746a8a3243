import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How the fake Bot API answers: `ok`; `502` to every call (a broken upstream); `never` (accepts,
 * never answers); `401` (the bot token was revoked). */
export type BotApiMode = 'ok' | '502' | 'never' | '401';

export interface BotApi {
  url: string;
  mode: BotApiMode;
  /** Calls by method name, in order. */
  calls: string[];
  /** When each of `calls` came (epoch ms), same order. */
  callTimes: number[];
  /** Switches the mode; requests left hanging by `never` are cut (the upstream came back). */
  set(mode: BotApiMode): void;
  close(): Promise<void>;
}

/** The longest a getUpdates long-poll is held (the bot asks for longer; shorter is allowed). */
const POLL_HOLD_MS = 5000;

const RESULTS: Record<string, unknown> = {
  getMe: {
    id: 123456,
    is_bot: true,
    first_name: 'Watchdog test bot',
    username: 'wd_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  },
  getWebhookInfo: { url: '', has_custom_certificate: false, pending_update_count: 0 },
};

/** A local Telegram Bot API (`/bot<token>/<method>`) enough for OpenClaw's Telegram channel to
 * connect through `apiRoot`, whose answers a test switches at will. */
export async function startBotApi(): Promise<BotApi> {
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const api: BotApi = {
    url: '',
    mode: 'ok',
    calls: [],
    callTimes: [],
    set(mode) {
      api.mode = mode;
      for (const res of hanging) res.socket?.destroy();
      hanging.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const json = (res: ServerResponse, code: number, body: unknown) => {
    if (res.destroyed) return;
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').split('?')[0]!.split('/').pop() ?? '';
      api.calls.push(method);
      api.callTimes.push(Date.now());
      if (api.mode === 'never') return void hanging.add(res);
      if (api.mode === '502')
        return json(res, 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
      if (api.mode === '401')
        return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      if (method !== 'getUpdates')
        return json(res, 200, { ok: true, result: RESULTS[method] ?? true });
      let timeout = 0;
      try {
        timeout = Number((JSON.parse(text || '{}') as { timeout?: number }).timeout ?? 0);
      } catch {
        // form-encoded or empty: answer at once
      }
      const t = setTimeout(
        () => {
          timers.delete(t);
          json(res, 200, { ok: true, result: [] });
        },
        Math.min(timeout * 1000, POLL_HOLD_MS),
      );
      timers.add(t);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return api;
}
