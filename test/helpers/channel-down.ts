// A gateway of ours whose Telegram account stays down under a green /healthz, its channel RPCs
// scripted through the fake gateway's control file: what the in-place restart tests escalate from.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRpcLog } from './rpc-log.js';
import { withFakeRestart, type Home } from './watchdog-home.js';

export const REQUEST = 'gateway.restart.request';

/** A Telegram account down under a green /healthz (OpenClaw 2026.9.6 field names). */
export const DOWN = {
  accountId: 'default',
  enabled: true,
  configured: true,
  running: true,
  connected: false,
  lifecycle: 'ready',
  restartPending: false,
  reconnectAttempts: 0,
  healthState: 'disconnected',
  lastError: 'getUpdates failed: fetch failed',
  lastStartAt: Date.now() - 3_600_000,
};

export const controlFile = (h: Home) => join(h.dir, '..', 'control.json');
const rpcLogFile = (h: Home) => join(h.dir, '..', 'rpc.jsonl');

/** The restart requests the fake gateway received. */
export const requests = (h: Home) => readRpcLog(rpcLogFile(h)).filter((c) => c.method === REQUEST);

/** The account stays down; `restart` scripts gateway.restart.request's answer (else the fake's own). */
export function answer(h: Home, restart?: Record<string, unknown>): void {
  const rpc: Record<string, unknown> = {
    'channels.status': {
      ok: true,
      payload: { channels: {}, channelAccounts: { telegram: [DOWN] }, statusIssues: [] },
    },
    'channels.stop': { ok: true, payload: { stopped: true } },
    'channels.start': { ok: true, payload: { started: true, outcome: { status: 'handed-off' } } },
    ...(restart ? { [REQUEST]: restart } : {}),
  };
  writeFileSync(controlFile(h), JSON.stringify({ readyz: { failing: ['telegram'] }, rpc }));
}

/** The fake gateway's flags: our state dir, the token, the scripted RPCs and their log. */
export const scriptedFlags = (h: Home, token: string, extra: string[] = []) => [
  '--token',
  token,
  '--state-dir',
  h.stateDir,
  '--control',
  controlFile(h),
  '--rpc-log',
  rpcLogFile(h),
  ...extra,
];

/** The watchdog's config for it: the token, a channel down escalates at once, a lock that stays
 * fresh while the check waits on a loaded machine, and `restart` timers. */
export function configureEscalation(
  h: Home,
  flags: string[],
  token: string,
  restart: { stopTimeoutSec: number; verifyTimeoutSec: number },
): void {
  const fake = withFakeRestart(h.port, flags);
  h.configure({
    ...fake,
    restart: { ...fake.restart, ...restart },
    lock: { staleSec: 120 },
    gateway: { token },
    channels: { downAfterSec: 0, verifySec: 0 },
  });
}
