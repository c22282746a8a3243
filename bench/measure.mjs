// Measures whole processes with GNU time (Debian package `time`): CPU (user+sys), wall, peak RSS.
// Figures are medians over repeated runs; print them beside a baseline from the same run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TIME = '/usr/bin/time';

export function requireTime() {
  if (!existsSync(TIME)) {
    console.error('bench needs GNU time at /usr/bin/time (Debian: apt-get install time)');
    process.exit(2);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Runs argv `runs` times; returns medians of CPU seconds, wall seconds and peak RSS MiB. */
export function measure(argv, { runs = 7, env = process.env, expectCode = null } = {}) {
  const cpu = [];
  const wall = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(TIME, ['-f', '@@ %e %U %S %M', ...argv], { env, encoding: 'utf8' });
    const line = r.stderr.split('\n').find((l) => l.startsWith('@@ '));
    if (!line) throw new Error(`no timing for ${argv.join(' ')}: ${r.stderr}`);
    const [e, u, s, m] = line.slice(3).split(' ').map(Number);
    if (expectCode !== null && r.status !== expectCode) {
      throw new Error(`${argv.join(' ')} exited ${r.status}, expected ${expectCode}: ${r.stdout}${r.stderr}`);
    }
    wall.push(e);
    cpu.push(u + s);
    rss.push(m / 1024);
  }
  return { cpu: median(cpu), wall: median(wall), rssMiB: median(rss), runs };
}

/** Prints rows side by side, each with its ratio to the first (the baseline). */
export function table(title, rows) {
  const base = rows[0][1];
  console.log(`\n${title}`);
  console.log(`${'what'.padEnd(46)} ${'CPU s'.padStart(7)} ${'x base'.padStart(7)} ${'wall s'.padStart(7)} ${'peak MiB'.padStart(9)}`);
  for (const [name, m] of rows) {
    const ratio = base.cpu > 0 ? (m.cpu / base.cpu).toFixed(2) : '-';
    console.log(`${name.padEnd(46)} ${m.cpu.toFixed(3).padStart(7)} ${ratio.padStart(7)} ${m.wall.toFixed(3).padStart(7)} ${m.rssMiB.toFixed(1).padStart(9)}`);
  }
}
