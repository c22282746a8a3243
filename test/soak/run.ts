// The seeded fault soak: `npm run soak -- --seed N --steps M` (docs/soak.md). It drives the BUILT
// CLI (dist/cli.js) as cron does (`env -i`, HOME and PATH only, this Node), against the fake
// gateway, with faults picked by a seeded PRNG, and checks the invariants after every step. Any
// violation prints the seed, the step and the commands that led to it; exit 1. Every process it
// started is killed by pid at the end, also on failure or Ctrl-C.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FAULTS, age, newScene, pick, type Scene } from './faults.js';
import { Judge } from './invariants.js';
import { CLI, freePort, rng, sleep, World, type CheckEnd } from './world.js';

/** A check the soak waits for this long at most (verify 8 s, a stall of 5 s, a loaded host). */
const CHECK_LIMIT_MS = 90_000;
/** The steps whose commands a reproduction shows. */
const REPRO_STEPS = 6;

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    steps: { type: 'string', default: '200' },
    'keep-going': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const steps = Number(values.steps);
if (!Number.isInteger(seed) || !Number.isInteger(steps) || steps < 1) {
  process.stderr.write('soak: --seed and --steps take whole numbers (--steps at least 1)\n');
  process.exit(2);
}
if (!existsSync(CLI)) {
  process.stderr.write(`soak: ${CLI} is missing: npm run build first\n`);
  process.exit(2);
}

const world = new World(await freePort(), true);
let cleaned = false;
const cleanUp = () => {
  if (cleaned) return;
  cleaned = true;
  const n = world.killAll();
  if (!values.quiet) process.stdout.write(`soak: killed ${n} processes it started, by pid\n`);
  world.removeHome();
};
// Ctrl-C / SIGTERM: the step under way ends, then the summary and the clean-up; a second one
// cleans up at once.
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    if (stopping) {
      cleanUp();
      process.exit(130);
    }
    stopping = true;
  });

process.stdout.write(
  `soak: seed ${seed}, ${steps} steps, node ${process.version}, port ${world.port}, home ${world.home}\n`,
);
const r = rng(seed);
const scene: Scene = newScene();
const judge = new Judge(world);
const history: { step: number; fault: string; commands: string[] }[] = [];
const byFault = new Map<string, number>();
let violations = 0;
const started = Date.now();

/** Waits for a check's end, bounded: one that never ends is a violation of its own. */
async function ended(done: Promise<CheckEnd>): Promise<CheckEnd | null> {
  const timeout = sleep(CHECK_LIMIT_MS).then(() => null);
  return Promise.race([done, timeout]);
}

function report(step: number, fault: string, problems: string[]): void {
  violations += problems.length;
  const out = [
    `\nVIOLATION at step ${step} (fault ${fault}), seed ${seed}:`,
    ...problems.map((p) => `  - ${p}`),
    `reproduce: npm run soak -- --seed ${seed} --steps ${step}`,
    `the last ${REPRO_STEPS} steps' commands (HOME ${world.home}, port ${world.port}):`,
    ...history
      .slice(-REPRO_STEPS)
      .flatMap((h) => [`  step ${h.step} ${h.fault}:`, ...h.commands.map((c) => `    ${c}`)]),
    '',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  for (let step = 1; step <= steps && !stopping; step++) {
    age(world, scene);
    const fault = pick(r);
    byFault.set(fault, (byFault.get(fault) ?? 0) + 1);
    scene.commands = [];
    scene.checks = [];
    if (fault === 'corrupt-state') judge.stateDamaged = true;
    await FAULTS[fault]!.run(world, scene, r);
    const problems: string[] = [];
    for (const run of scene.checks) {
      const end = await ended(run.done);
      if (end === null) {
        problems.push(`check pid ${run.pid} did not end within ${CHECK_LIMIT_MS} ms`);
        continue;
      }
      problems.push(...judge.judgeEnd(run, end));
    }
    history.push({ step, fault, commands: scene.commands });
    problems.push(...(await judge.judgeWorld(scene)));
    if (problems.length) {
      report(step, fault, problems);
      if (!values['keep-going']) break;
    }
    if (!values.quiet && step % 50 === 0) {
      const s = ((Date.now() - started) / 1000).toFixed(0);
      process.stdout.write(
        `soak: step ${step}/${steps}, ${judge.counts.checks} commands, ${judge.counts.restarts} restarts, ${violations} violations, ${s} s\n`,
      );
    }
    // cron's cadence, compressed: a little time between steps, varied.
    await sleep(Math.floor(r() * 200));
  }
} finally {
  const exits = [...judge.counts.exits].map(([k, n]) => `${k}:${n}`).join(' ');
  const faults = [...byFault].map(([k, n]) => `${k} ${n}`).join(', ');
  process.stdout.write(
    [
      `soak: seed ${seed}: ${history.length} steps, ${judge.counts.checks} commands run (exits ${exits}), ` +
        `${judge.counts.restarts} gateway_restart, ${judge.counts.conflicts} port_conflict in the log, ` +
        `${scene.decoys.size} decoys alive, ${violations} violations, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      `soak: faults: ${faults}`,
      '',
    ].join('\n'),
  );
  cleanUp();
}
process.exit(violations ? 1 : 0);
