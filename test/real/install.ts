import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/processes.js';

/** ../shared from a checkout in /work, ../../shared from a worktree in /work/wt. */
export const INSTALL =
  [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')]
    .map((dir) => join(dir, 'real-openclaw', 'install.sh'))
    .find((file) => existsSync(file)) ?? join(ROOT, '..', 'shared', 'real-openclaw', 'install.sh');

/**
 * Installs (or finds) the real OpenClaw and its Node 24 with ../shared/real-openclaw/install.sh and
 * returns the PATH a real gateway runs with: its bin dirs, then /usr/bin and /bin.
 */
export function installReal(): string {
  if (!existsSync(INSTALL))
    throw new Error(`${INSTALL} not found: the real suite needs ../shared/real-openclaw`);
  const out = execFileSync('bash', [INSTALL], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const match = /export PATH="([^"]+):\$PATH"/.exec(out.trim().split('\n').at(-1) ?? '');
  if (!match) throw new Error(`install.sh did not print its PATH line: ${out}`);
  return `${match[1]}:/usr/bin:/bin`;
}
