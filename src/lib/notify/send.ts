import type { Webhook } from '../config/schema.js';
import type { WatchdogEvent } from '../store/events.js';
import { redactDeep } from '../redact.js';
import { safeUrl, wants, webhookBody, type AlertContext } from './format.js';

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

async function post(hookUrl: string, body: unknown, timeoutMs: number): Promise<string | null> {
  try {
    const { url, authorization } = splitCredentials(hookUrl);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'openclaw-watchdog',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return e.name === 'TimeoutError'
      ? `no answer within ${timeoutMs} ms`
      : (e.cause?.code ?? e.message);
  }
}

/**
 * Sends each event a hook wants, directly (never through the gateway), all hooks in parallel:
 * `timeoutMs` per request, one retry. Returns `notify_failed` events, URLs reduced to their host.
 * Every event is redacted (configured `secrets` and key-shaped strings) before it is formatted.
 */
export async function sendAlerts(
  hooks: Webhook[],
  allEvents: WatchdogEvent[],
  ctx: AlertContext & { timeoutMs: number; now: number; secrets?: string[] },
): Promise<WatchdogEvent[]> {
  const events = redactDeep(allEvents, ctx.secrets ?? []);
  const jobs: Promise<WatchdogEvent | null>[] = [];
  for (const hook of hooks) {
    const mine = events.filter((e) => wants(hook, e.event));
    if (!mine.length) continue;
    jobs.push(
      (async () => {
        for (const e of mine) {
          const body = webhookBody(hook, e, new Date(e.at ?? ctx.now).toISOString(), ctx);
          let error = await post(hook.url, body, ctx.timeoutMs);
          if (error) error = await post(hook.url, body, ctx.timeoutMs);
          if (error)
            return {
              level: 'warn',
              event: 'notify_failed',
              url: safeUrl(hook.url),
              about: e.event,
              error: redactDeep(error, ctx.secrets ?? []),
            };
        }
        return null;
      })(),
    );
  }
  return (await Promise.all(jobs)).filter((e): e is WatchdogEvent => e !== null);
}
