/** What `channels.status` says about one channel account, as far as the watchdog reads it. */
export interface ChannelAccount {
  channel: string;
  account: string;
  enabled: boolean | null;
  /** OpenClaw manages it (isManagedAccount): not disabled, not unconfigured, not unlinked. */
  managed: boolean;
  running: boolean | null;
  connected: boolean | null;
  /** starting, ready, recovering, stopped, blocked (OpenClaw 2026.9.6); null when absent. */
  lifecycle: string | null;
  /** Absent (null) when healthy; disconnected, not-running, terminal-disconnect, stale-socket. */
  healthState: string | null;
  restartPending: boolean;
  reconnectAttempts: number;
  lastError: string | null;
  /** Epoch ms. */
  lastStartAt: number | null;
  lastTransportActivityAt: number | null;
  /** OpenClaw's own fix text for this account (statusIssues[].fix), if any. */
  fix: string | null;
}

/** One gathering: the accounts, or why there are none (NO_TOKEN, TIMEOUT, AUTH_TOKEN_MISMATCH…). */
export type ChannelsSeen = { ok: true; accounts: ChannelAccount[] } | { ok: false; code: string };
