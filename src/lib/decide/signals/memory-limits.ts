import type { DecideSettings, GatewayTree } from '../types.js';

export const MiB = 1024 * 1024;
/** OpenClaw's RSS warning floor (dist diagnostic-*.mjs DEFAULT_RSS_WARNING_BYTES). */
const OPENCLAW_RSS_WARNING = 1536 * MiB;

/**
 * OpenClaw's own RSS warning level (dist diagnostic-*.mjs resolveThresholds, Node runtime):
 * max(1536 MiB, half the V8 heap limit), capped at half of min(cgroup limit, RAM). The gateway's
 * own heap limit cannot be read from outside: V8's default on this machine stands in for it.
 */
export function openclawWarnBytes(limitBytes: number | null, heapLimitBytes: number | null) {
  const base = Math.max(OPENCLAW_RSS_WARNING, Math.floor((heapLimitBytes ?? 0) * 0.5));
  return limitBytes === null ? base : Math.min(base, Math.floor(limitBytes * 0.5));
}

export interface MemoryLimits {
  /** Above this, memory_high (null: off). */
  warnBytes: number | null;
  /** Above this for memory.sustainSec, a graceful restart (null: never). */
  restartBytes: number | null;
}

/** The thresholds the settings give on this machine ("auto" worked out from the tree's limits). Pure. */
export function memoryLimits(settings: DecideSettings, tree: GatewayTree): MemoryLimits {
  const { warnAboveMB: warn, restartAboveMB: restart } = settings.memory;
  const { limitBytes, heapLimitBytes } = tree;
  return {
    warnBytes:
      warn === null
        ? null
        : warn === 'auto'
          ? openclawWarnBytes(limitBytes, heapLimitBytes)
          : warn * MiB,
    restartBytes:
      restart === null
        ? null
        : restart === 'auto'
          ? limitBytes === null
            ? null
            : Math.floor(limitBytes * 0.8)
          : restart * MiB,
  };
}

export const mib = (bytes: number | null): number | null =>
  bytes === null ? null : Math.round(bytes / MiB);
