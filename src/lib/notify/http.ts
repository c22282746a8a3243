/**
 * fetch refuses URLs with credentials: `https://user:pass@host/…` is sent to `https://host/…`
 * with `Authorization: Basic base64(user:pass)` instead.
 */
export function splitCredentials(url: string): { url: string; authorization: string | null } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url, authorization: null };
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  const basic = Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
  return { url: u.href, authorization: `Basic ${basic}` };
}

/** The most of a reply's body the watchdog reads: enough for any service's error answer. */
export const MAX_REPLY_BYTES = 64 * 1024;

/**
 * At most `max` bytes of a reply's body, then the rest is abandoned (the stream cancelled): an
 * endless or huge reply costs nothing. Read under the request's own signal: a body that stalls
 * ends at the same timeout as the request.
 */
export async function readCapped(res: Response, max = MAX_REPLY_BYTES): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      size += value.byteLength;
    }
  } finally {
    if (size >= max) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return Buffer.concat(chunks).subarray(0, max);
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as is; an object is sent as JSON. */
  body?: string | object;
  /** Ends the request early (besides its timeout). */
  signal?: AbortSignal;
}

/**
 * One HTTP request within `timeoutMs` (the reply's body too, read up to MAX_REPLY_BYTES),
 * directly (never through the gateway). Returns null when
 * the answer is 2xx, else the reason (`HTTP 500`, `ECONNREFUSED`, `no answer within … ms`), which
 * never holds the URL.
 */
export async function request(
  target: string,
  req: HttpRequest,
  timeoutMs: number,
): Promise<string | null> {
  try {
    const { url, authorization } = splitCredentials(target);
    const json = typeof req.body === 'object';
    const body = typeof req.body === 'object' ? JSON.stringify(req.body) : req.body;
    const res = await fetch(url, {
      method: req.method ?? 'POST',
      headers: {
        ...(json ? { 'content-type': 'application/json' } : {}),
        'user-agent': 'openclaw-watchdog',
        ...(authorization ? { authorization } : {}),
        ...req.headers,
      },
      ...(body === undefined ? {} : { body }),
      signal: req.signal
        ? AbortSignal.any([req.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
    // the body is read (so the connection is done with) within the same timeout, capped
    // (a 2xx whose body stalls or breaks off was still answered: the status decides)
    await readCapped(res).catch(() => undefined);
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return e.name === 'TimeoutError'
      ? `no answer within ${timeoutMs} ms`
      : (e.cause?.code ?? e.message);
  }
}
