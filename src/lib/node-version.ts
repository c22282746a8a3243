/** The Node OpenClaw 2026.9 needs (its package.json engines): its users have it, with node:sqlite. */
export const OPENCLAW_NODE = [24, 16] as const;

/**
 * One line when this Node is older than OpenClaw's, else null. The watchdog still runs on it
 * (degraded, not refused): a refusal would leave the gateway unsupervised, while the only part
 * that needs Node 24 is reading OpenClaw's own records through node:sqlite (its boot ledger:
 * safe mode's window, the breaker count before a start, when the gateway died), and those reads
 * fail open there, as OpenClaw's own breaker does when its state cannot be read. Pure.
 */
export function nodeTooOld(version: string): string | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return null;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [needMajor, needMinor] = OPENCLAW_NODE;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null;
  return `openclaw-watchdog: Node ${version} is older than ${needMajor}.${needMinor}, which OpenClaw needs: running without OpenClaw's boot ledger (no crash-loop window before a start, no safe-mode recovery); run it with Node >= ${needMajor}.${needMinor} (then openclaw-watchdog install-cron again)`;
}
