import { ConfigError, showValue } from '../errors.js';
import { knownEvent } from '../store/event-names.js';

/**
 * A channel's `events` list: an array of event names this build knows (`gateway_down`, …). A
 * misspelt name would leave the channel silent for that event while `notify test` still delivers:
 * a config mistake naming the key and the value. Null when absent (the default alert set).
 */
export function checkEventNames(v: unknown, file: string, path: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'string'))
    throw new ConfigError(file, path, `must be an array of event names, got ${showValue(v)}`);
  const names = v as string[];
  const i = names.findIndex((name) => !knownEvent(name));
  if (i >= 0)
    throw new ConfigError(
      file,
      `${path}[${i}]`,
      `unknown event name ${showValue(names[i])} (see the event list in the README's Event log)`,
    );
  return names;
}
