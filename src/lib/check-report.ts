import type { RestartOutcome } from './decide/liveness/after-restart.js';
import type { Action, Status } from './decide/types.js';
import type { OrphanRun } from './orphans/action.js';
import type { ProbeResult } from './probe/types.js';
import type { StopResult } from './procs/kill.js';
import type { WatchdogEvent } from './store/event-types.js';

/** What carrying out the actions did, as a check reports it. */
export interface ActReport {
  stop?: StopResult;
  restart?: RestartOutcome;
  orphans?: Pick<OrphanRun, 'found' | 'reaped' | 'survivors'>;
}

/** One check, as `check --json` prints it. */
export interface CheckReport extends ActReport {
  status: Status | 'lock-busy';
  /** When the run started (epoch ms). */
  startedAt: number;
  detail: string;
  exitCode: number;
  dryRun: boolean;
  probe: ProbeResult | null;
  actions: Action[];
  events: WatchdogEvent[];
  /** A maintenance pause is on: nothing was carried out. */
  paused?: boolean;
  /** Record steps that failed (state, events: e.g. a full disk), one line each. */
  recordFailed?: string[];
  ms: number;
}
