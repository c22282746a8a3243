import type { CheckReport } from '../check-report.js';
import type { Action, ActionOf } from '../decide/types.js';

type Say<T extends Action['type']> = (a: ActionOf<T>) => string | null;

/** What `check --dry-run` says it would do, per action (every action type says). */
const WOULD: { [T in Action['type']]: Say<T> } = {
  stop: (a) => `stop ${a.targets.map((t) => t.pid).join(', ')} (SIGTERM, then SIGKILL)`,
  restart: (a) => `restart (${a.reason})`,
  'graceful-restart': (a) =>
    a.inPlaceOnly
      ? `restart in place (${a.reason}): gateway.restart.request to gateway pid ${a.target.pid} only, never a stop`
      : `restart gracefully (${a.reason}): gateway pid ${a.target.pid} in place (gateway.restart.request) when its lock and token allow, else SIGTERM with ${a.drainSec} s to drain, then start it again; only if a start is possible`,
  'channel-restart': (a) => `restart channel account ${a.channel}/${a.account}`,
  // listed from what act found (report.orphans), below
  'reap-orphans': () => null,
  'report-orphans': () => null,
};

const would = <T extends Action['type']>(a: ActionOf<T>): string | null =>
  (WOULD[a.type] as Say<T>)(a);

/** The two lines a dry run prints: the decision, and what it would carry out. Pure. */
export function dryRunText(report: CheckReport, startProof?: string): string {
  const actions = report.actions.map(would).filter((l): l is string => l !== null);
  const orphans = (report.orphans?.found ?? []).filter((o) => o.whose === 'ours');
  if (orphans.length)
    actions.push(
      `reap ${orphans.length} orphan(s): ${orphans.map((o) => `${o.pid} ${o.name}`).join(', ')}`,
    );
  const proof = startProof ? `\n${startProof}` : '';
  return `${report.status}: ${report.detail}\nwould: ${actions.join('; ') || 'nothing'}${proof}\n`;
}
