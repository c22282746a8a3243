import type { Config } from '../config/load.js';
import type { ShutdownBudget } from '../decide/openclaw/custody.js';
import { stopVerdict } from '../decide/openclaw/clean-stop.js';
import { DEFAULT_RESERVE_MS, DEFAULT_TIMEOUT_MS } from '../openclaw/shutdown-budget.js';
import type { ProbeResult } from '../probe/types.js';
import type { Hold } from '../procs/kill.js';

/**
 * The look a gateway stop takes each second after its SIGTERM (procs/kill.ts `hold`): one short
 * probe of the port, judged by decide/openclaw/clean-stop.ts. A gateway that answers (healthy, or
 * /startupz starting/draining) is waited for up to its own shutdown budget; one that does not is
 * SIGKILLed once it has had `minWaitSec` and has been silent restart.stopTimeoutSec.
 */
export function cleanStopHold(
  config: Config,
  probe: () => Promise<ProbeResult>,
  opts: { minWaitSec: number; budget: ShutdownBudget | null },
): Hold {
  const budgetMs =
    (opts.budget?.timeoutMs ?? DEFAULT_TIMEOUT_MS) + (opts.budget?.reserveMs ?? DEFAULT_RESERVE_MS);
  const silentGraceMs = config.settings.restart.stopTimeoutSec * 1000;
  let lastAnswer: number | null = null;
  return async (sinceTermMs) => {
    const p = await probe();
    const answers = p.verdict === 'healthy' || p.verdict === 'starting';
    if (answers) lastAnswer = sinceTermMs;
    return stopVerdict({
      answers,
      sinceTermMs,
      silentMs: sinceTermMs - (lastAnswer ?? 0),
      minWaitMs: opts.minWaitSec * 1000,
      silentGraceMs,
      budgetMs,
    });
  };
}
