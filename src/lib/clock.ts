import { readFileSync } from 'node:fs';
import type { BootClock } from './decide/types.js';

/**
 * The boot-time clock: /proc/uptime (CLOCK_BOOTTIME: it counts suspend, and no one sets it) and
 * the boot id it belongs to. Shared by every process, unlike performance.now(). Null off Linux.
 */
export function readBootClock(): BootClock | null {
  try {
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    if (!Number.isFinite(uptime) || !bootId) return null;
    return { bootId, uptimeMs: Math.round(uptime * 1000) };
  } catch {
    return null;
  }
}
