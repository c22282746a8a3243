import { ConfigError, showValue } from '../errors.js';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An http(s) URL, or a ConfigError naming the key (the value is a secret: never shown). */
export function checkHttpUrl(url: unknown, file: string, path: string): asserts url is string {
  let parsed: URL | null = null;
  try {
    parsed = typeof url === 'string' ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol))
    throw new ConfigError(file, path, `must be an http(s) URL, got ${showValue(url, true)}`);
}
