import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Newest first, by numeric version in a directory name (v24.1.0 > v20.20.2). */
function byVersionDesc(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pb[i] ?? 0) - (pa[i] ?? 0);
  return 0;
}

function versionedBins(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir)
      .sort(byVersionDesc)
      .map((v) => join(dir, v, suffix));
  } catch {
    return [];
  }
}

/** Where user-space npm installs put `openclaw` (no root): npm prefix, nvm, fnm, volta, pnpm, bun. */
export function usualBinDirs(home: string, env: NodeJS.ProcessEnv): string[] {
  return [
    ...(env.NPM_CONFIG_PREFIX ? [join(env.NPM_CONFIG_PREFIX, 'bin')] : []),
    join(home, '.npm-global', 'bin'),
    join(home, '.local', 'bin'),
    join(home, '.local', 'share', 'pnpm'),
    join(home, '.bun', 'bin'),
    join(home, '.volta', 'bin'),
    ...versionedBins(join(home, '.nvm', 'versions', 'node'), 'bin'),
    ...versionedBins(
      join(home, '.local', 'share', 'fnm', 'node-versions'),
      join('installation', 'bin'),
    ),
    '/usr/local/bin',
    '/usr/bin',
  ];
}

/** The `openclaw` executable: configured path, else PATH, else the usual user-space locations. */
export function findOpenclaw(
  configured: string | null,
  home: string,
  env: NodeJS.ProcessEnv,
): string | null {
  if (configured) return executable(configured) ? configured : null;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...usualBinDirs(home, env)];
  for (const dir of dirs) {
    const file = join(dir, 'openclaw');
    if (executable(file)) return file;
  }
  return null;
}
