// The per-file gate of `npm run mutate` (issue 23): reads Stryker's JSON report and fails unless
// the decision core (src/lib/decide/**) as a whole and every other mutated file each kill at least
// MIN % of their mutants. Stryker's own `thresholds.break` checks only the total: a weak small file
// would hide behind the well-tested large ones. Prints the score per file (and per file without the
// string-literal mutants, the "non-text" score) and every survivor as file:line mutator.
import { readFileSync } from 'node:fs';

const MIN = Number(process.env.MUTATION_MIN ?? 90);
const report = process.argv[2] ?? 'reports/mutation/mutation.json';
const CORE = 'src/lib/decide/';

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const tally = () => ({ detected: 0, undetected: 0, textDetected: 0, textUndetected: 0 });
function add(t, m) {
  const text = m.mutatorName === 'StringLiteral';
  if (DETECTED.has(m.status)) {
    t.detected++;
    if (text) t.textDetected++;
  } else if (UNDETECTED.has(m.status)) {
    t.undetected++;
    if (text) t.textUndetected++;
  }
}
const score = (d, u) => (d + u === 0 ? 100 : (100 * d) / (d + u));
const pct = (x) => `${x.toFixed(1).padStart(5)} %`;

const { files } = JSON.parse(readFileSync(report, 'utf8'));
const rows = [];
const core = tally();
const all = tally();
const survivors = [];
for (const [path, file] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
  const t = tally();
  for (const m of file.mutants) {
    add(t, m);
    add(all, m);
    if (path.startsWith(CORE)) add(core, m);
    if (UNDETECTED.has(m.status)) {
      const { line, column } = m.location.start;
      const code = (file.source?.split('\n')[line - 1] ?? '').trim().slice(0, 100);
      survivors.push(
        `${path}:${line}:${column} ${m.mutatorName}` +
          `${m.status === 'NoCoverage' ? ' (no test covers it)' : ''}` +
          `${m.replacement !== undefined ? ` -> ${JSON.stringify(m.replacement).slice(0, 80)}` : ''}` +
          `\n      ${code}`,
      );
    }
  }
  rows.push([path, t]);
}

const line = (name, t) => {
  const n = t.detected + t.undetected;
  const s = score(t.detected, t.undetected);
  const nonText = score(t.detected - t.textDetected, t.undetected - t.textUndetected);
  return `${pct(s)}  ${pct(nonText)}  ${String(t.undetected).padStart(4)} / ${String(n).padEnd(5)} ${name}`;
};
console.log(
  `\nmutation score per file (gate: ${MIN} % per file, and the decision core as a whole)`,
);
console.log('  score  non-text  undetected / all  file');
for (const [path, t] of rows) console.log(line(path, t));
console.log(line('decision core (src/lib/decide/**)', core));
console.log(line('all mutated files', all));
if (survivors.length) {
  console.log(
    `\n${survivors.length} undetected mutants (reports/mutation/mutation.html shows each diff):`,
  );
  for (const s of survivors) console.log(`  ${s}`);
}

const short = rows
  .filter(([path, t]) => !path.startsWith(CORE) && score(t.detected, t.undetected) < MIN)
  .map(([path]) => path);
if (score(core.detected, core.undetected) < MIN)
  short.unshift('the decision core (src/lib/decide/**)');
if (short.length) {
  console.error(`\nmutation score below ${MIN} %: ${short.join(', ')}`);
  process.exit(1);
}
console.log(`\nevery mutated file at or above ${MIN} %`);
