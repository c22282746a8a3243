import type { Config } from '../config/load.js';
import { attributorFor, identityOf } from './facts.js';
import { isGatewayProc } from './ours.js';
import { findPortOwner } from './port-owner.js';
import { readProc } from './table.js';

/**
 * The port's holder when it is a gateway of this user that provably belongs to another state dir
 * or profile (null otherwise: none, ours, one that cannot be attributed, another user's, or not a
 * gateway such as docker-proxy). One walk of /proc fds: called only where a healthy answer may
 * not be ours (no gateway of ours known on a healthy check; verify after a start).
 */
export function otherGatewayOnPort(config: Config): { pid: number; name: string } | null {
  if (process.platform !== 'linux') return null;
  const pid = findPortOwner(config.port).pid;
  const proc = pid !== null ? readProc(pid) : null;
  const uid = process.getuid?.() ?? null;
  if (!proc || (uid !== null && proc.uid !== uid) || !isGatewayProc(proc)) return null;
  if (attributorFor(identityOf(config)).whose(proc.pid) !== 'other') return null;
  return { pid: proc.pid, name: proc.title };
}
