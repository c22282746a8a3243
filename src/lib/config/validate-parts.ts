import { ConfigError, showValue } from '../errors.js';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** An http(s) URL, or a ConfigError naming the key (the value is a secret: never shown). */
export function checkHttpUrl(url: unknown, file: string, path: string): asserts url is string {
  const parsed = typeof url === 'string' && URL.canParse(url) ? new URL(url) : null;
  if (!parsed || !/^https?:$/.test(parsed.protocol))
    throw new ConfigError(file, path, `must be an http(s) URL, got ${showValue(url, true)}`);
}

/** An object with only `known` keys (the shape named in the message), or a ConfigError. */
export function checkEntry(
  v: unknown,
  file: string,
  path: string,
  known: readonly string[],
): Record<string, unknown> {
  if (!isObject(v))
    throw new ConfigError(
      file,
      path,
      `must be an object {${known.join(', ')}}, got ${showValue(v, true)}`,
    );
  for (const key of Object.keys(v))
    if (!known.includes(key))
      throw new ConfigError(file, `${path}.${key}`, `unknown key (known: ${known.join(', ')})`);
  return v;
}

/** One of `choices`, or a ConfigError naming the key and the choices. */
export function checkChoice<T extends string>(
  v: unknown,
  choices: readonly T[],
  file: string,
  path: string,
): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v))
    throw new ConfigError(file, path, `must be one of ${choices.join(', ')}, got ${showValue(v)}`);
  return v as T;
}
