import { findPortOwner } from '../../src/lib/procs/port-owner.js';
import { readProc } from '../../src/lib/procs/table.js';
import { track } from './processes.js';

/** The pid listening on the port, tracked for teardown; null when nothing listens. */
export function listener(port: number): number | null {
  const { pid } = findPortOwner(port);
  if (pid !== null) track(pid);
  return pid;
}

/** Every live process with this title (argv[0]). */
export function pidsTitled(title: string, pids: number[]): number[] {
  return pids.filter((pid) => readProc(pid)?.title === title);
}

/** One probe: is a healthy gateway on the port? */
export async function healthy(port: number): Promise<boolean> {
  const { probeGateway } = await import('../../src/lib/probe/index.js');
  return (await probeGateway({ host: '127.0.0.1', port, timeoutMs: 1000 })).verdict === 'healthy';
}
