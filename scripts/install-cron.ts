/**
 * `npx tsx scripts/install-cron.ts [--every 30s] [--dry-run]`: the same as
 * `openclaw-watchdog install-cron`, for a checkout. The launcher it writes runs the built
 * dist/cli.js with node (never tsx), so build first: `npm run build`. It points cron at this
 * checkout (install-cron warns): for good, install a packed copy (README, top).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('dist/cli.js is missing: run `npm run build` first\n');
  process.exit(2);
}
const r = spawnSync(process.execPath, [cli, 'install-cron', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
