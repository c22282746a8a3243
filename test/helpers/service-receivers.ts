import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Local stand-ins for ntfy, Telegram's Bot API and Discord that refuse what the real services
 * refuse (sizes, fields, header encoding, auth), so a test fails where the service would.
 */
export interface Service<T> {
  url: string;
  /** What was accepted. */
  got: T[];
  /** What was refused, and why. */
  refused: { status: number; why: string }[];
  close(): Promise<void>;
}

type Handler<T> = (
  req: IncomingMessage,
  raw: Buffer,
) => { ok: T; answer: unknown } | { status: number; why: string; answer?: unknown };

async function serve<T>(handler: Handler<T>, path = ''): Promise<Service<T>> {
  const got: T[] = [];
  const refused: { status: number; why: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const out = handler(req, Buffer.concat(chunks));
      if ('ok' in out) {
        got.push(out.ok);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(out.answer));
      }
      refused.push({ status: out.status, why: out.why });
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.answer ?? { error: out.why }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${path}`,
    got,
    refused,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** RFC 2047 encoded-words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) decoded, as ntfy does. */
export function decode2047(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9a-f]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

export interface NtfyMessage {
  topic: string;
  message: string;
  title: string;
  priority: number;
  tags: string[];
  authorization?: string;
}

const PRIORITY: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, urgent: 5, max: 5 };

/**
 * ntfy: POST /<topic>, the message as the body (at most 4096 bytes: the server's default
 * message-size-limit; without attachments configured a longer one is refused), Title / Priority
 * / Tags headers (ASCII, or RFC 2047 encoded-words: raw bytes past ASCII are not UTF-8 to Go),
 * `auth`: the one Authorization header it accepts.
 */
export function startNtfy(auth?: string): Promise<Service<NtfyMessage>> {
  return serve<NtfyMessage>((req, raw) => {
    const topic = (req.url ?? '/').slice(1);
    if (req.method !== 'POST' && req.method !== 'PUT') return { status: 405, why: 'method' };
    if (!/^[-_A-Za-z0-9]{1,64}$/.test(topic)) return { status: 404, why: `topic ${topic}` };
    if (auth !== undefined && req.headers.authorization !== auth)
      return { status: 403, why: 'forbidden', answer: { code: 40301, error: 'forbidden' } };
    for (const name of ['title', 'tags', 'priority']) {
      const v = req.headers[name];
      if (typeof v === 'string' && /[^\x20-\x7e]/.test(v))
        return { status: 400, why: `non-ASCII ${name} header` };
    }
    if (raw.length > 4096) return { status: 413, why: `body ${raw.length} bytes` };
    const message = raw.toString('utf8');
    if (Buffer.from(message, 'utf8').length !== raw.length)
      return { status: 400, why: 'body not UTF-8' };
    const p = String(req.headers.priority ?? '3');
    const priority = PRIORITY[p] ?? Number(p);
    if (!Number.isInteger(priority) || priority < 1 || priority > 5)
      return { status: 400, why: `priority ${p}` };
    const title = decode2047(String(req.headers.title ?? ''));
    const tags = decode2047(String(req.headers.tags ?? ''))
      .split(',')
      .filter(Boolean);
    const ok = { topic, message, title, priority, tags, authorization: req.headers.authorization };
    return { ok, answer: { id: 'x', event: 'message', topic, message, title, priority, tags } };
  });
}

export interface TelegramMessage {
  chat_id: string | number;
  text: string;
  parse_mode?: string;
  [key: string]: unknown;
}

/**
 * Telegram's Bot API sendMessage: /bot<token>/sendMessage, 401 for a wrong token, 400 "chat not
 * found" for an unknown chat, "message text is empty", "message is too long" past 4096
 * characters, and MarkdownV2 / HTML entity errors when a parse_mode is given and the text is
 * not escaped for it.
 */
export function startTelegram(token: string, chats: string[]): Promise<Service<TelegramMessage>> {
  const bad = (why: string, status = 400) => ({
    status,
    why,
    answer: { ok: false, error_code: status, description: why },
  });
  return serve<TelegramMessage>((req, raw) => {
    const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
    if (!m) return bad('Not Found', 404);
    if (m[1] !== token) return bad('Unauthorized', 401);
    let body: TelegramMessage;
    try {
      body = JSON.parse(raw.toString('utf8')) as TelegramMessage;
    } catch {
      return bad('Bad Request: invalid JSON');
    }
    if (!chats.includes(String(body.chat_id))) return bad('Bad Request: chat not found');
    if (typeof body.text !== 'string' || !body.text.trim())
      return bad('Bad Request: message text is empty');
    if (body.text.length > 4096) return bad('Bad Request: message is too long');
    if (body.parse_mode === 'MarkdownV2' && /(?<!\\)[_*[\]()~`>#+\-=|{}.!]/.test(body.text))
      return bad("Bad Request: can't parse entities: character is reserved and must be escaped");
    if (
      body.parse_mode === 'HTML' &&
      /<(?!\/?(b|i|u|s|code|pre|a)\b)|&(?!(lt|gt|amp|quot);)/.test(body.text)
    )
      return bad("Bad Request: can't parse entities: unsupported start tag");
    return {
      ok: body,
      answer: { ok: true, result: { message_id: 1, chat: { id: body.chat_id }, text: body.text } },
    };
  });
}

/** Discord's execute-webhook: `content` at most 2000 characters, not empty. */
export function startDiscord(): Promise<Service<{ content: string }>> {
  return serve<{ content: string }>((_req, raw) => {
    const body = JSON.parse(raw.toString('utf8')) as { content?: unknown };
    if (typeof body.content !== 'string' || !body.content)
      return { status: 400, why: 'empty content' };
    if (body.content.length > 2000)
      return {
        status: 400,
        why: 'content too long',
        answer: { content: ['Must be 2000 or fewer in length.'] },
      };
    return { ok: { content: body.content }, answer: {} };
  }, '/api/webhooks/1/tok3n-Secret-Part');
}
