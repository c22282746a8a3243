// A second gateway of the same user booting elsewhere on the host (its own HOME, state dir and
// port), as another profile or another engineer's test would: for the "second gateway booting"
// figures. The fake one boots like the real one (titled `openclaw` for 3 s, listening after 8 s,
// started after 10 s); the real one is `openclaw gateway run --bind loopback` in a sandbox.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE, freePort, realSandbox, sandbox, startDetached, until } from './lib.mjs';

const alive = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
};

/** Starts it and resolves once its process runs; `stop()` SIGKILLs it by pid and removes its HOME. */
export async function startSecondGateway({ real }) {
  const port = await freePort();
  const box = real ? realSandbox(port) : sandbox(port);
  const stateDir = join(box.home, '.openclaw');
  const argv = real
    ? ['openclaw', 'gateway', 'run', '--bind', 'loopback', '--port', String(port)]
    : [process.execPath, FAKE, '--port', String(port), '--state-dir', stateDir].concat([
        '--title-after',
        '3000',
        '--listen-after',
        '8000',
        '--ready-after',
        '10000',
      ]);
  const pid = startDetached(argv, box.env);
  await until(() => existsSync(`/proc/${pid}`), 5_000);
  return {
    pid,
    port,
    stop() {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      box.cleanup();
      return !alive(pid);
    },
  };
}
