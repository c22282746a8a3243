import type { Config } from '../config/load.js';
import type { UserStop } from '../decide/on-purpose/user-stop.js';
import { systemdUserEnv } from '../restart/environment.js';
import { findUnit } from '../restart/systemd.js';
import { lockStartedAt } from './lock-start.js';
import { readLastLifecycle } from './stop-marker.js';
import { readUnitState, unitStoppedAt } from './unit-state.js';

type Mark = { at: number; stop: UserStop | null };

/**
 * The user's last stop of the gateway, if the last lifecycle record is one: OpenClaw's own
 * (`gateway-restart.log`: a later `start` or `restart` line supersedes a stop) and, when the
 * systemd user unit is the restart path, the unit stopped cleanly. A gateway lock written later
 * (a gateway started since, by hand, that crashed: a clean stop removes it) supersedes them both.
 * Read only on unhealthy checks.
 */
export async function readUserStop(config: Config, now: number): Promise<UserStop | null> {
  const marks: Mark[] = [];
  const last = readLastLifecycle(config.paths.stateDir);
  if (last) {
    const stop = last.action === 'stop';
    marks.push({
      at: last.at,
      stop: stop ? { at: last.at, source: 'openclaw', pid: last.pid } : null,
    });
  }
  const { paths, env, settings } = config;
  const unit = settings.restart.command ? null : findUnit(paths.home, env, paths.profile);
  if (unit) {
    const state = await readUnitState(unit, systemdUserEnv(env, process.getuid?.() ?? 0));
    const at = state && unitStoppedAt(state, now, process.hrtime.bigint() / 1000n);
    if (at !== null && at !== undefined)
      marks.push({ at, stop: { at, source: 'systemd', pid: null } });
  }
  const locked = lockStartedAt(paths.stateDir, process.getuid?.() ?? null);
  if (locked !== null) marks.push({ at: locked, stop: null });
  marks.sort((a, b) => b.at - a.at);
  return marks[0]?.stop ?? null;
}
