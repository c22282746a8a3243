import { systemctl } from '../restart/systemd.js';

/** What `systemctl --user show` says about the gateway's unit. */
export interface UnitState {
  activeState: string | null;
  result: string | null;
  /** When the unit last went inactive (CLOCK_MONOTONIC, µs); 0 or null: never since boot. */
  inactiveEnterMonoUs: bigint | null;
}

export const UNIT_PROPERTIES = 'ActiveState,Result,InactiveEnterTimestampMonotonic';

/** `Key=value` lines as printed by `systemctl show`. Pure. */
export function parseUnitShow(output: string): UnitState {
  const v = new Map(
    output.split('\n').flatMap((line) => {
      const i = line.indexOf('=');
      return i > 0 ? [[line.slice(0, i).trim(), line.slice(i + 1).trim()] as const] : [];
    }),
  );
  const mono = v.get('InactiveEnterTimestampMonotonic');
  return {
    activeState: v.get('ActiveState') || null,
    result: v.get('Result') || null,
    inactiveEnterMonoUs: mono && /^\d+$/.test(mono) ? BigInt(mono) : null,
  };
}

/**
 * When the unit was stopped on purpose (epoch ms), or null. With `Restart=always` (OpenClaw's
 * unit), a unit that is `inactive` with `Result=success` was stopped by a stop job (`systemctl
 * --user stop`, or `openclaw gateway stop`): a crash leaves it `activating` (auto-restart) or
 * `failed`. A unit never started since boot has no inactive-enter time and is no stop. The
 * monotonic time is turned into wall time with this process's CLOCK_MONOTONIC (process.hrtime).
 */
export function unitStoppedAt(unit: UnitState, now: number, monoNowUs: bigint): number | null {
  if (unit.activeState !== 'inactive' || unit.result !== 'success') return null;
  const mono = unit.inactiveEnterMonoUs;
  if (mono === null || mono <= 0n || mono > monoNowUs) return null;
  return now - Number((monoNowUs - mono) / 1000n);
}

/** Reads the unit's state (one `systemctl --user show`); null when systemctl fails. */
export async function readUnitState(
  unit: string,
  env: NodeJS.ProcessEnv,
): Promise<UnitState | null> {
  const r = await systemctl(['show', unit, `--property=${UNIT_PROPERTIES}`], env);
  return r.code === 0 ? parseUnitShow(r.output) : null;
}
