import type { State } from './state.js';

/** The most channel accounts state.json follows (its size is fixed: state.ts STATE_FILE_BYTES). */
export const MAX_CHANNEL_ACCOUNTS = 8;
/** The most filesystems state.json follows: the two watched (its size is fixed), seen ones first. */
export const MAX_DISK_TRACKS = 2;
/** The most unattributed orphans state.json remembers as already reported (its size is fixed). */
export const MAX_ORPHANS_NOTED = 16;
/** The longest channel or account id kept, in bytes of its JSON encoding (UTF-8, escapes
 * included): longer ones are cut (two may then share an entry). Characters would not bound the
 * file: `ж` takes 2 bytes, `"` 2, a control character 6. */
export const MAX_CHANNEL_ID = 48;

/** The longest key of OpenClaw's work kept (state.stuckWork), in bytes of its JSON encoding: a
 * kind word and a hash (decide/openclaw/maintenance.ts workKey). */
export const MAX_WORK_KEY = 32;

/** The bytes `id` takes in state.json: its JSON string without the quotes. */
export const jsonBytes = (id: string): number => Buffer.byteLength(JSON.stringify(id)) - 2;

/** The longest prefix of `id` (whole code points) whose JSON encoding fits MAX_CHANNEL_ID bytes. */
export function cutId(id: string): string {
  if (jsonBytes(id) <= MAX_CHANNEL_ID) return id;
  let out = '';
  let bytes = 0;
  for (const ch of id) {
    const n = jsonBytes(ch);
    if (bytes + n > MAX_CHANNEL_ID) break;
    out += ch;
    bytes += n;
  }
  return out;
}

type Check = (v: unknown) => boolean;

const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const count: Check = (v) => num(v) && (v as number) >= 0 && Number.isInteger(v);
const orNull =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const str: Check = (v) => typeof v === 'string';
const obj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    obj(v) && Object.entries(fields).every(([k, check]) => check(v[k]));

const id: Check = (v) => typeof v === 'string' && jsonBytes(v) <= MAX_CHANNEL_ID;
const channelTrack = shape({
  channel: id,
  account: id,
  up: (v) => typeof v === 'boolean',
  since: orNull(num),
  said: (v) => v === null || v === 'down' || v === 'blocked',
  step: (v) => v === 0 || v === 1 || v === 2,
  stepAt: orNull(num),
  ownStop: (v) => v === undefined || typeof v === 'boolean',
  starting: (v) => v === undefined || typeof v === 'boolean',
});

/** A version as state.json keeps it (decide/openclaw/update.ts cuts them to 40 characters). */
const version: Check = (v) => typeof v === 'string' && jsonBytes(v) <= 240;

const diskTrack = shape({ dev: num, since: orNull(num), alertedAt: orNull(num) });

const FIELDS: Record<Exclude<keyof State, 'version' | 'restarts'>, Check> = {
  lastCheckAt: orNull(num),
  checkMs: orNull(count),
  clock: orNull(shape({ bootId: str, uptimeMs: num })),
  lastVerdict: orNull(str),
  healthySince: orNull(num),
  lastHealthyAt: orNull(num),
  unhealthySince: orNull(num),
  waiting: orNull(str),
  unresponsiveSince: orNull(num),
  startingSince: orNull(num),
  notListening: orNull(shape({ pid: count, since: num })),
  incident: orNull(
    shape({
      kind: (v) => v === 'down' || v === 'hung' || v === 'conflict',
      since: num,
      died: (v) =>
        v === undefined ||
        shape({ at: num, from: (f) => f === 'boot_ledger' || f === 'gateway_log' })(v),
    }),
  ),
  crashLoopNotified: (v) => typeof v === 'boolean',
  restartImpossibleSaid: (v) => v === undefined || typeof v === 'boolean',
  slowestBootSec: orNull(num),
  spawned: orNull(
    shape({
      pid: orNull(count),
      startTicks: orNull(count),
      at: num,
      method: str,
      bootSec: (v) => v === undefined || num(v),
    }),
  ),
  orphansReapedTotal: count,
  orphansScannedAt: orNull(num),
  orphansNoted: (v) =>
    Array.isArray(v) && v.length <= MAX_ORPHANS_NOTED && v.every((n) => count(n) && n < 2 ** 32),
  lastAlertAt: orNull(num),
  userStopAt: orNull(num),
  gatewaySeenStartAt: orNull(num),
  diskLow: (v) => Array.isArray(v) && v.length <= MAX_DISK_TRACKS && v.every(diskTrack),
  channels: shape({
    checkedAt: orNull(num),
    unchecked: orNull(str),
    accounts: (v) => Array.isArray(v) && v.length <= MAX_CHANNEL_ACCOUNTS && v.every(channelTrack),
    overCap: (v) => v === undefined || count(v),
  }),
  memoryHighSince: orNull(num),
  memoryOverSince: orNull(num),
  childrenHighSince: orNull(num),
  lagChecks: count,
  signalsOf: orNull(shape({ pid: count, startTicks: count })),
  update: orNull(
    shape({
      rowAt: num,
      at: num,
      from: orNull(version),
      to: orNull(version),
      failedSaid: (v) => typeof v === 'boolean',
    }),
  ),
  maintenance: orNull(
    shape({
      kind: (v) => v === 'updating' || v === 'maintenance',
      since: num,
      stuckSaid: (v) => typeof v === 'boolean',
    }),
  ),
  stuckWork: orNull((v) => typeof v === 'string' && jsonBytes(v) <= MAX_WORK_KEY),
  safeMode: orNull(shape({ since: num, recoverAt: orNull(num) })),
  lockListener: orNull(
    shape({
      pid: count,
      startTicks: count,
      inode: count,
      port: (v) => count(v) && (v as number) >= 1 && (v as number) <= 65535,
      at: num,
    }),
  ),
};

const RESTARTS: Record<keyof State['restarts'], Check> = {
  total: count,
  consecutive: count,
  lastAt: orNull(num),
  nextAllowedAt: orNull(num),
};

/**
 * Keeps every field of a saved state that has the right type; a missing field takes its fresh
 * value, a field of the wrong type too, and is named in `reset` (logged as `state_reset`).
 */
export function validateState(
  raw: Record<string, unknown>,
  fresh: State,
): { state: State; reset: string[] } {
  const reset: string[] = [];
  const out: Record<string, unknown> = { ...fresh };
  for (const [key, check] of Object.entries(FIELDS)) {
    if (!(key in raw)) continue;
    if (check(raw[key])) out[key] = raw[key];
    else reset.push(key);
  }
  const restarts: Record<string, unknown> = { ...fresh.restarts };
  const savedRestarts = raw.restarts;
  if (savedRestarts !== undefined && !obj(savedRestarts)) reset.push('restarts');
  else if (savedRestarts) {
    for (const [key, check] of Object.entries(RESTARTS)) {
      if (!(key in savedRestarts)) continue;
      if (check(savedRestarts[key])) restarts[key] = savedRestarts[key];
      else reset.push(`restarts.${key}`);
    }
  }
  out.restarts = restarts;
  return { state: out as unknown as State, reset };
}
