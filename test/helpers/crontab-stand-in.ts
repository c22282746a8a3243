import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './dirs.js';

/**
 * A stand-in `crontab` on PATH (the user's real crontab is never touched): `crontab -l` prints the
 * table kept in a file (or "no crontab for …", exit 1), `crontab -` replaces it from stdin,
 * `crontab -r` removes it. `bin`: where it lives (a temp dir removed after each test by default).
 */
export function crontabStandIn(bin: string = tempDir()): {
  bin: string;
  table: string;
  path: string;
} {
  const table = join(bin, 'table');
  writeFileSync(
    join(bin, 'crontab'),
    `#!/bin/sh\ncase "$1" in\n  -l) [ -f '${table}' ] && exec cat '${table}'; echo "no crontab for $(id -un)" >&2; exit 1 ;;\n  -) exec cat > '${table}' ;;\n  -r) rm -f '${table}'; exit 0 ;;\nesac\nexit 1\n`,
    { mode: 0o755 },
  );
  return { bin, table, path: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
}
