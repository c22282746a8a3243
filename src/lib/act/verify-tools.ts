import type { Config } from '../config/load.js';
import { probeGateway, probeOptions } from '../probe/index.js';
import type { ProbeResult } from '../probe/types.js';
import type { ActContext } from '../act.js';

/** The probe verify uses, and the clock it runs on. Within this run, time runs on the monotonic
 * clock: a wall-clock jump during verify neither stretches it (holding the lock) nor distorts
 * the boot time the startup grace learns from. */
export function verifyTools(
  config: Config,
  ctx: Pick<ActContext, 'now' | 'probe'>,
  probeTimeoutMs: number,
): {
  probe: () => Promise<ProbeResult>;
  now: () => number;
} {
  const probeWith = ctx.probe ?? probeGateway;
  const probe = () => probeWith(probeOptions(config, { timeoutMs: probeTimeoutMs }));
  const wall0 = ctx.now();
  const mono0 = performance.now();
  return { probe, now: () => wall0 + (performance.now() - mono0) };
}
