import { ConfigError, showValue } from '../errors.js';
import { checkEventNames } from './event-names.js';
import { checkEntry, checkHttpUrl } from './validate-parts.js';

/** An ntfy topic (ntfy.sh or self-hosted). `url` may hold user:pass (sent as Basic auth). */
export interface NtfyTarget {
  url: string;
  /** An access token (`tk_…`), sent as `Authorization: Bearer`. A secret. */
  token: string | null;
  /** 1 (min) … 5 (urgent); null: by the event's level (error 4, otherwise 3). */
  priority: number | null;
  /** ntfy tags (emoji short codes, labels), added to the level's tag. */
  tags: string[];
  events: string[] | null;
}

/** A Telegram chat a bot posts to. The bot token is a secret. */
export interface TelegramTarget {
  botToken: string;
  /** A numeric chat id (negative for groups) or `@channelusername`. */
  chatId: string;
  /** The Bot API root (a local Bot API server, or a test receiver). */
  apiRoot: string;
  events: string[] | null;
}

/** A program that receives each alert as JSON on stdin (no shell). */
export interface CommandTarget {
  argv: string[];
  /** Kill it (SIGTERM, then SIGKILL) past this; null: notify.timeoutMs. */
  timeoutMs: number | null;
  events: string[] | null;
}

export const TELEGRAM_API = 'https://api.telegram.org';
const PRIORITIES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, urgent: 5 };

function checkUrl(v: unknown, file: string, path: string): string {
  checkHttpUrl(v, file, path);
  return v;
}

const events = checkEventNames;

function secretString(v: unknown, file: string, path: string): string {
  if (typeof v !== 'string' || v.trim() === '')
    throw new ConfigError(file, path, `must be a non-empty string, got ${showValue(v, true)}`);
  return v;
}

export function checkNtfy(v: unknown, file: string, path: string): NtfyTarget {
  const o = checkEntry(v, file, path, ['url', 'token', 'priority', 'tags', 'events']);
  const url = checkUrl(o.url, file, `${path}.url`);
  if (new URL(url).pathname.replace(/\/+$/, '') === '')
    throw new ConfigError(file, `${path}.url`, 'must name a topic: https://ntfy.sh/<topic>');
  const token =
    o.token === undefined || o.token === null ? null : secretString(o.token, file, `${path}.token`);
  let priority: number | null = null;
  if (o.priority !== undefined && o.priority !== null) {
    const p = typeof o.priority === 'string' ? PRIORITIES[o.priority] : o.priority;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 5)
      throw new ConfigError(
        file,
        `${path}.priority`,
        `must be 1-5 or min, low, default, high, urgent, got ${showValue(o.priority)}`,
      );
    priority = p;
  }
  const tags = o.tags ?? [];
  if (
    !Array.isArray(tags) ||
    tags.some((t) => typeof t !== 'string' || t === '' || t.includes(','))
  )
    throw new ConfigError(
      file,
      `${path}.tags`,
      `must be an array of tags (no commas), got ${showValue(o.tags)}`,
    );
  return {
    url,
    token,
    priority,
    tags: tags as string[],
    events: events(o.events, file, `${path}.events`),
  };
}

export function checkTelegram(v: unknown, file: string, path: string): TelegramTarget {
  const o = checkEntry(v, file, path, ['botToken', 'chatId', 'apiRoot', 'events']);
  const botToken = secretString(o.botToken, file, `${path}.botToken`);
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(botToken))
    throw new ConfigError(
      file,
      `${path}.botToken`,
      'must look like <digits>:<letters> (from @BotFather), got <redacted>',
    );
  const chat =
    typeof o.chatId === 'number' && Number.isInteger(o.chatId) ? String(o.chatId) : o.chatId;
  if (typeof chat !== 'string' || !/^(-?\d+|@[A-Za-z0-9_]{4,})$/.test(chat))
    throw new ConfigError(
      file,
      `${path}.chatId`,
      `must be a numeric chat id or @channelname, got ${showValue(o.chatId)}`,
    );
  const apiRoot =
    o.apiRoot === undefined ? TELEGRAM_API : checkUrl(o.apiRoot, file, `${path}.apiRoot`);
  return {
    botToken,
    chatId: chat,
    apiRoot: apiRoot.replace(/\/+$/, ''),
    events: events(o.events, file, `${path}.events`),
  };
}

export function checkCommand(v: unknown, file: string, path: string): CommandTarget {
  const o = checkEntry(v, file, path, ['argv', 'timeoutMs', 'events']);
  const argv = o.argv;
  if (
    !Array.isArray(argv) ||
    argv.length === 0 ||
    argv.some((a) => typeof a !== 'string') ||
    argv[0] === ''
  )
    throw new ConfigError(
      file,
      `${path}.argv`,
      `must be a non-empty array of strings (argv, no shell), got ${showValue(argv, true)}`,
    );
  let timeoutMs: number | null = null;
  if (o.timeoutMs !== undefined && o.timeoutMs !== null) {
    const t = o.timeoutMs;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 100 || t > 600_000)
      throw new ConfigError(
        file,
        `${path}.timeoutMs`,
        `must be a whole number between 100 and 600000, got ${showValue(t)}`,
      );
    timeoutMs = t;
  }
  return { argv: argv as string[], timeoutMs, events: events(o.events, file, `${path}.events`) };
}
