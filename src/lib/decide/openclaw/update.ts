import { orphanAction, result, type Step } from '../step.js';
import type { Decision } from '../types.js';
import type { OpenClawSeen } from './types.js';

/** The start of the reason OpenClaw records when a gateway exits because its installation was
 * replaced (dist stale-install-*.mjs), and of the log lines it writes then. */
export const REPLACED_REASON = 'gateway.installation_replaced';
export const REPLACED_LINES = [
  'Installation replaced',
  'must stop after its installation was replaced',
] as const;

/** The longest version text kept in state.json (OpenClaw caps versions at 96 characters). */
const MAX_VERSION = 40;

export interface Replacement {
  /** When the old gateway ended (its boot row's completion, or its log line). */
  at: number;
  from: string | null;
  to: string | null;
}

const cut = (v: string | undefined): string | null => (v ? v.slice(0, MAX_VERSION) : null);

/** `2026.9.6 (…<the build's end>)`: a build of the same version, its end kept (real build ids
 * are 50+ characters and differ at the end: `2026.9.6-release-eb377ac59e6c-2026-09-23T16-…`). */
function withBuild(version: string, build: string): string {
  const b = build.startsWith(`${version}-`) ? build.slice(version.length + 1) : build;
  const full = `${version} (${b})`;
  if (full.length <= MAX_VERSION) return full;
  const room = MAX_VERSION - version.length - 4;
  return room > 8 ? `${version} (…${b.slice(-room)})` : full.slice(0, MAX_VERSION);
}

/** `… running 2026.9.6 build X; on-disk 2026.9.7 build Y.` → versions (builds when the versions
 * are the same). Pure. */
export function parseReplacement(text: string): { from: string | null; to: string | null } {
  // The real row goes on after the build: `….; restart (SIGUSR2: gateway.installation_replaced: …)`.
  const m = /running (\S+) build ([^\s;]+?);\s*on-disk (\S+) build ([^\s;]+?)\.?(?:[\s;]|$)/.exec(
    text,
  );
  if (!m) return { from: null, to: null };
  const [, fromV, fromB, toV, toB] = m as unknown as [string, string, string, string, string];
  if (fromV !== toV) return { from: cut(fromV), to: cut(toV) };
  return { from: withBuild(fromV, fromB), to: withBuild(toV, toB) };
}

/** The installation was replaced under the last gateway: its last boot row says so (a
 * `planned_restart` with gateway.installation_replaced), or, without the ledger, its log. Pure. */
export function replacementOf(seen: OpenClawSeen): Replacement | null {
  const row = seen.lastBoot;
  if (row) {
    const { reason } = row;
    if (row.outcome !== 'planned_restart' || !reason?.startsWith(REPLACED_REASON)) return null;
    return { at: row.completedAtMs ?? row.startedAtMs, ...parseReplacement(reason) };
  }
  const line = seen.replacedLine;
  return line ? { at: line.at, ...parseReplacement(line.text) } : null;
}

/**
 * Nothing listens and no gateway of ours runs, because OpenClaw replaced its installation (an
 * update; the gateway drains and exits 1 by itself, a clean `planned_restart`): it is started again
 * at once, with no `gateway_down`, no incident and no backoff step (a crash right after is
 * restarted at once too). `gateway_updated` {from, to} is said after the start (act folds it,
 * liveness/after-restart.ts). Each replacement once: one whose start failed is the usual rules'.
 */
export function installationReplaced(step: Step): Decision | null {
  const seen = step.obs.openclaw;
  if (!seen || step.obs.gateways.some((g) => g.ours)) return null;
  const rep = replacementOf(seen);
  if (!rep || step.state.update?.rowAt === rep.at) return null;
  const { from, to } = rep;
  step.state = {
    ...step.state,
    waiting: null,
    update: { rowAt: rep.at, at: step.now, from, to, failedSaid: false },
  };
  const probeTimeoutMs = Math.min(step.settings.probe.timeoutMs, 2000);
  const detail = `OpenClaw's installation was replaced${to ? ` (now ${to})` : ''}; starting the gateway again`;
  return result(step, 'updating', detail, 0, [
    orphanAction(step, null),
    { type: 'restart', reason: 'updated', probeTimeoutMs },
  ]);
}

/** The first boot of a new version (started after a replacement, not yet seen healthy) gets
 * update.startupGraceSec. Pure. */
export function updateGraceSec(
  settings: { update: { startupGraceSec: number } },
  state: { update: { at: number } | null; lastHealthyAt: number | null },
): number {
  const u = state.update;
  // Stryker disable next-line ConditionalExpression: a null lastHealthyAt is never >= an epoch time, so the `!== null` decides nothing but the type
  if (!u || (state.lastHealthyAt !== null && state.lastHealthyAt >= u.at)) return 0;
  return settings.update.startupGraceSec;
}
