import { isIP } from 'node:net';
import { ConfigError, showValue } from '../errors.js';
import { checkEventNames } from './event-names.js';
import { checkHeartbeat } from './validate-heartbeat.js';
import { checkChoice, checkEntry, checkHttpUrl, isObject } from './validate-parts.js';
import { checkCommand, checkNtfy, checkTelegram } from './channel-settings.js';
import {
  SCHEMA_TABLE,
  WEBHOOK_FORMATS,
  defaultSettings,
  type Kind,
  type Settings,
} from './schema.js';

const WEBHOOK_KEYS = ['url', 'format', 'events'];
/** Keys whose values are secret (tokens, webhook URLs, the restart argv): never shown in errors. */
const SECRET_PATHS =
  /^(gateway$|gateway\.token$|restart$|restart\.command$|notify$|notify\.(webhooks|heartbeat|ntfy|telegram|commands))/;
const HOSTNAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** An IP address or a DNS host name (what a URL can hold). */
export function isHost(value: string): boolean {
  if (isIP(value) !== 0) return true;
  // 999.1.1.1 is no IP, and an all-numeric name is not a host name either
  return HOSTNAME.test(value) && !/^[\d.]+$/.test(value);
}

const own = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

/** Checks a parsed watchdog config against SCHEMA; returns full settings with defaults filled in. */
export function validateSettings(raw: unknown, file: string): Settings {
  const settings: Record<string, Record<string, unknown>> = defaultSettings();
  if (!isObject(raw)) throw new ConfigError(file, '', 'the top level must be an object');
  for (const [section, value] of Object.entries(raw)) {
    if (section === '$schema') continue;
    const keys = own(SCHEMA_TABLE, section);
    if (!keys)
      throw new ConfigError(
        file,
        section,
        `unknown key (known: ${Object.keys(SCHEMA_TABLE).join(', ')})`,
      );
    if (!isObject(value))
      throw new ConfigError(
        file,
        section,
        `must be an object, got ${showValue(value, SECRET_PATHS.test(section))}`,
      );
    for (const [key, v] of Object.entries(value)) {
      const spec = own(keys, key);
      const path = `${section}.${key}`;
      if (!spec)
        throw new ConfigError(file, path, `unknown key (known: ${Object.keys(keys).join(', ')})`);
      if (v === null && spec.nullable) {
        settings[section]![key] = null;
        continue;
      }
      settings[section]![key] = checkValue(spec.kind, v, file, path);
    }
  }
  return settings as Settings;
}

function checkValue(kind: Kind, v: unknown, file: string, path: string): unknown {
  const fail = (what: string, secret = false): never => {
    throw new ConfigError(
      file,
      path,
      `${what}, got ${showValue(v, secret || SECRET_PATHS.test(path))}`,
    );
  };
  switch (kind.type) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) return fail('must be a whole number');
      if (v < kind.min || v > kind.max) return fail(`must be between ${kind.min} and ${kind.max}`);
      return v;
    case 'mib':
      if (v === 'auto') return v;
      if (typeof v !== 'number' || !Number.isInteger(v))
        return fail('must be a whole number of MiB, "auto", or null');
      if (v < kind.min || v > kind.max) return fail(`must be between ${kind.min} and ${kind.max}`);
      return v;
    case 'string':
      if (typeof v !== 'string' || v === '') return fail('must be a non-empty string', kind.secret);
      if (kind.host && !isHost(v)) return fail('must be an IP address or a host name');
      return v;
    case 'strings':
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === ''))
        return fail('must be an array of non-empty strings');
      return v;
    case 'argv':
      if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string'))
        return fail('must be a non-empty array of strings (argv, no shell)');
      return v;
    case 'enum':
      if (typeof v !== 'string' || !kind.values.includes(v))
        return fail(`must be one of ${kind.values.join(', ')}`);
      return v;
    case 'webhooks':
      if (!Array.isArray(v)) return fail('must be an array of {url, format}');
      return v.map((hook, i) => checkWebhook(hook, file, `${path}[${i}]`));
    case 'heartbeat':
      return checkHeartbeat(v, file, path);
    case 'ntfy':
    case 'telegram':
    case 'commands': {
      if (!Array.isArray(v)) return fail('must be an array of objects');
      const check = { ntfy: checkNtfy, telegram: checkTelegram, commands: checkCommand }[kind.type];
      return v.map((item, i) => check(item, file, `${path}[${i}]`));
    }
  }
}

function checkWebhook(hook: unknown, file: string, path: string) {
  const entry = checkEntry(hook, file, path, WEBHOOK_KEYS);
  const { url, events } = entry;
  checkHttpUrl(url, file, `${path}.url`);
  const format = checkChoice(entry.format ?? 'auto', WEBHOOK_FORMATS, file, `${path}.format`);
  return { url, format, events: checkEventNames(events, file, `${path}.events`) };
}
