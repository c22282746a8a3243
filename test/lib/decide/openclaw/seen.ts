import type { LastBoot, OpenClawSeen } from '../../../../src/lib/decide/openclaw/types.js';

/** Nothing of OpenClaw's own lifecycle going on, with `over` laid on top. */
export const seen = (over: Partial<OpenClawSeen> = {}): OpenClawSeen => ({
  lockRole: null,
  update: null,
  suspended: false,
  successor: null,
  lastBoot: null,
  replacedLine: null,
  ...over,
});

export const REPLACED =
  'gateway.installation_replaced: Installation replaced: running 2026.9.6 build 2026.9.6-release-eb377ac; on-disk 2026.9.7 build 2026.9.7-release-0a1b2c3.';

/** A last boot row: the gateway ended at `completedAtMs`. */
export const boot = (over: Partial<LastBoot> = {}): LastBoot => ({
  pid: 4242,
  startedAtMs: 1,
  completedAtMs: 2,
  outcome: 'planned_restart',
  reason: REPLACED,
  ...over,
});
