import type { Webhook } from '../config/schema.js';
import type { WatchdogEvent } from '../store/events.js';
import { safeUrl, wants, webhookBody, type AlertContext } from './format.js';

async function post(url: string, body: unknown, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'openclaw-watchdog' },
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
 */
export async function sendAlerts(
  hooks: Webhook[],
  events: WatchdogEvent[],
  ctx: AlertContext & { timeoutMs: number; now: number },
): Promise<WatchdogEvent[]> {
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
              error,
            };
        }
        return null;
      })(),
    );
  }
  return (await Promise.all(jobs)).filter((e): e is WatchdogEvent => e !== null);
}
