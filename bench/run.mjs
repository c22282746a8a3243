// `npm run bench`: every benchmark, each printing its figures beside a baseline from the same run.
// Add --real to include the real OpenClaw gateway where ../shared/real-openclaw/install.sh put it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const real = process.argv.includes('--real') ? ['--real'] : [];
for (const [script, args] of [
  ['check.mjs', real],
  ['recovery.mjs', ['10', ...real]],
  ['hung.mjs', ['5']],
  ['orphans.mjs', []],
]) {
  const r = spawnSync(process.execPath, [`${dir}${script}`, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
