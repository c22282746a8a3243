// Hung → replaced: SIGSTOP the gateway, run checks every second (hungAfterSec 2), time until a new
// gateway answers. Compare with the same run's crash → healthy (no hung threshold to wait out).
// Usage: node bench/hung.mjs [rounds]
import {
  FAKE,
  cli,
  freePort,
  killMarked,
  listenerPid,
  sandbox,
  sleep,
  startDetached,
  stats,
  until,
} from './lib.mjs';

const rounds = Number(process.argv[2] ?? 5);
const port = await freePort();
const argv = [process.execPath, FAKE, '--port', String(port)];
const box = sandbox(port, {
  probe: { hungAfterSec: 2, timeoutMs: 500 },
  restart: { command: argv, stopTimeoutSec: 1, baseDelaySec: 0 },
});
const hung = [];
const crash = [];
try {
  startDetached(argv, box.env);
  await until(async () => (await listenerPid(port)) !== null);
  // A check must see it healthy once: until then a young gateway may be booting, and is left alone.
  await until(() => cli(['check'], box.env).code === 0);
  for (let i = 0; i < rounds; i++) {
    for (const [kind, signal, out] of [
      ['hung', 'SIGSTOP', hung],
      ['crash', 'SIGKILL', crash],
    ]) {
      const pid = await listenerPid(port);
      const t0 = performance.now();
      process.kill(pid, signal);
      for (;;) {
        const r = cli(['check'], box.env);
        if (r.code === 0 && (await listenerPid(port)) !== pid) break;
        await sleep(1000);
      }
      out.push(performance.now() - t0);
      void kind;
    }
  }
} finally {
  killMarked();
  box.cleanup();
}
console.log(
  `\nhung vs crash → healthy, checks every 1 s, hungAfterSec 2, stopTimeoutSec 1 (ms; median / worst of ${rounds})`,
);
console.log(
  `  crash (baseline) ${stats(crash).median.toFixed(0).padStart(6)} / ${stats(crash).worst.toFixed(0).padStart(6)}`,
);
console.log(
  `  hung (SIGSTOP)   ${stats(hung).median.toFixed(0).padStart(6)} / ${stats(hung).worst.toFixed(0).padStart(6)}`,
);
