import { ConfigError, showValue } from '../errors.js';
import { HEARTBEAT_FORMATS, type Heartbeat } from './schema.js';
import { checkChoice, checkEntry, checkHttpUrl } from './validate-parts.js';

const KEYS = ['url', 'format', 'start', 'timeoutMs'];
const DEFAULT_TIMEOUT_MS = 3000;

/** `notify.heartbeat`: {url, format, start, timeoutMs}, each checked with a message naming it. */
export function checkHeartbeat(v: unknown, file: string, path: string): Heartbeat {
  const entry = checkEntry(v, file, path, KEYS);
  const { url, start = false, timeoutMs = DEFAULT_TIMEOUT_MS } = entry;
  checkHttpUrl(url, file, `${path}.url`);
  const format = checkChoice(entry.format ?? 'auto', HEARTBEAT_FORMATS, file, `${path}.format`);
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
