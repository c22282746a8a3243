import { ConfigError, showValue } from '../errors.js';
import { HEARTBEAT_FORMATS, type Heartbeat } from './schema.js';
import { checkHttpUrl, isObject } from './validate-parts.js';

const KEYS = ['url', 'format', 'start', 'timeoutMs'];
const FORMATS: readonly string[] = HEARTBEAT_FORMATS;
const DEFAULT_TIMEOUT_MS = 3000;

/** `notify.heartbeat`: {url, format, start, timeoutMs}, each checked with a message naming it. */
export function checkHeartbeat(v: unknown, file: string, path: string): Heartbeat {
  if (!isObject(v))
    throw new ConfigError(file, path, `must be an object {url, format}, got ${showValue(v, true)}`);
  for (const key of Object.keys(v)) {
    if (!KEYS.includes(key))
      throw new ConfigError(file, `${path}.${key}`, `unknown key (known: ${KEYS.join(', ')})`);
  }
  const { url, format = 'auto', start = false, timeoutMs = DEFAULT_TIMEOUT_MS } = v;
  checkHttpUrl(url, file, `${path}.url`);
  if (typeof format !== 'string' || !FORMATS.includes(format))
    throw new ConfigError(
      file,
      `${path}.format`,
      `must be one of ${FORMATS.join(', ')}, got ${showValue(format)}`,
    );
  if (typeof start !== 'boolean')
    throw new ConfigError(file, `${path}.start`, `must be true or false, got ${showValue(start)}`);
  if (start && format !== 'auto' && format !== 'healthchecks')
    throw new ConfigError(file, `${path}.start`, 'only healthchecks.io has a start ping');
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs < 100 ||
    timeoutMs > 60_000
  )
    throw new ConfigError(
      file,
      `${path}.timeoutMs`,
      `must be a whole number between 100 and 60000, got ${showValue(timeoutMs)}`,
    );
  return { url, format: format as Heartbeat['format'], start, timeoutMs };
}
