import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A `crontab` for one temp HOME: `-l` prints $HOME/.fake-crontab, `-` replaces it. The real
 * crontab is root's and shared by everything on this machine: tests that only need watchdog blocks
 * (install-cron writes them, status --all and serve --all read them) use this one, first on PATH.
 * Returns the PATH to run with.
 */
export function fakeCrontabPath(home: string): string {
  const bin = join(home, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'crontab'),
    `#!/bin/sh
f="$HOME/.fake-crontab"
case "$1" in
  -l) if [ -f "$f" ]; then cat "$f"; exit 0; fi; echo "no crontab for $(id -un)" >&2; exit 1 ;;
  -) cat > "$f" ;;
  *) echo "fake crontab: unsupported: $*" >&2; exit 2 ;;
esac
`,
  );
  chmodSync(join(bin, 'crontab'), 0o755);
  return `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
}
