import { cutText, gatewayId, gatewayText, GATEWAY_ID_CHARS } from '../gateway-text.js';
import type { ChannelAccount } from './types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Ids and states: cut at parse time (gateway-text.ts), as every string from the gateway. */
const str = gatewayId;
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const time = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
/** An error as OpenClaw may give it: a string, or an object with a message. */
const errorText = (v: unknown): string | null =>
  gatewayText(v) ?? (obj(v) ? (gatewayText(v.message) ?? gatewayId(v.code)) : null);

/**
 * The accounts of a `channels.status` payload, read tolerantly: `channelAccounts.<channel>[]`
 * (anything else, or a field of another type, is skipped or null), with OpenClaw's fix text from
 * `statusIssues[] {channel, accountId, fix}` joined on. Pure.
 */
export function parseChannelsStatus(payload: unknown): ChannelAccount[] {
  if (!obj(payload) || !obj(payload.channelAccounts)) return [];
  const fixes = new Map<string, string>();
  for (const issue of Array.isArray(payload.statusIssues) ? payload.statusIssues : []) {
    if (!obj(issue)) continue;
    const fix = gatewayText(issue.fix) ?? gatewayText(issue.message);
    const channel = str(issue.channel);
    if (fix && channel) fixes.set(`${channel}\n${str(issue.accountId) ?? 'default'}`, fix);
  }
  const out: ChannelAccount[] = [];
  for (const [key, list] of Object.entries(payload.channelAccounts)) {
    const channel = cutText(key, GATEWAY_ID_CHARS);
    if (!Array.isArray(list)) continue;
    for (const a of list) {
      if (!obj(a)) continue;
      const account = str(a.accountId) ?? str(a.id) ?? 'default';
      out.push({
        channel,
        account,
        enabled: bool(a.enabled),
        managed: a.enabled !== false && a.configured !== false && a.linked !== false,
        running: bool(a.running),
        connected: bool(a.connected),
        lifecycle: str(a.lifecycle),
        healthState: str(a.healthState),
        restartPending: a.restartPending === true,
        reconnectAttempts: time(a.reconnectAttempts) ?? 0,
        lastError: errorText(a.lastError),
        lastStartAt: time(a.lastStartAt),
        lastTransportActivityAt: time(a.lastTransportActivityAt),
        fix: fixes.get(`${channel}\n${account}`) ?? null,
      });
    }
  }
  return out;
}
