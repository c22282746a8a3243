import type { Settings } from '../config/schema.js';
import type { RestartOutcome } from '../decide/liveness/after-restart.js';
import { memoryLimits, mib } from '../decide/signals/memory-limits.js';
import type { ActionOf } from '../decide/types.js';
import { readGatewayTree } from '../procs/gateway-tree.js';

/**
 * A memory restart done in place that left the gateway's tree above the restart ceiling (the real
 * gateway keeps its memory through SIGUSR2): the process to stop for real. Null when it is below,
 * the restart was not for memory or not healthy, or the tree cannot be read.
 */
export function overCeilingAfter(
  settings: Settings,
  done: RestartOutcome,
  action: ActionOf<'graceful-restart'>,
  say: (line: string) => void,
): { target: { pid: number; startTicks: number } } | null {
  if (action.reason !== 'memory' || done.result !== 'healthy') return null;
  const { pid, startTicks } = done;
  if (pid === null || startTicks === null) return null;
  const tree = readGatewayTree(pid, startTicks, true);
  const ceiling = tree && memoryLimits(settings, tree).restartBytes;
  if (!tree || ceiling === null || ceiling === undefined || tree.rssBytes <= ceiling) return null;
  say(
    `restart: in place left ${mib(tree.rssBytes)} MiB, still above ${mib(ceiling)} MiB; stopping pid ${pid}`,
  );
  return { target: { pid, startTicks } };
}
