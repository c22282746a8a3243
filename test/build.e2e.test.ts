import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, startFakeGateway, waitFor } from './helpers/processes.js';
import { healthy } from './helpers/gateways.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

interface Loaded {
  builtins: string[];
  files: string[];
  esm: string[];
  procNet: string[];
}

/** A warm healthy check (the next after the first, as cron runs them), with what it loaded. */
function warmCheck(h: { home: string; env: NodeJS.ProcessEnv }): Loaded {
  // The first check writes the state file (and may log and notify): measured is the next one,
  // as cron runs it every 30 s (bench/check.mjs warms the same way).
  expect(spawnSync(process.execPath, [CLI, 'check'], { env: h.env }).status).toBe(0);
  const out = join(h.home, 'loaded.json');
  const preload = join(ROOT, 'test', 'fixtures', 'report-loaded.mjs');
  const r = spawnSync(process.execPath, ['--import', preload, CLI, 'check'], {
    env: { ...h.env, OCWD_LOADED_FILE: out },
    encoding: 'utf8',
  });
  expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
    code: 0,
    stdout: '',
    stderr: '',
  });
  return JSON.parse(readFileSync(out, 'utf8')) as Loaded;
}

/** The ES module files (chunks) a process loaded. */
const chunksOf = (loaded: Loaded) =>
  loaded.esm.filter((u) => u.startsWith('file:') && u.endsWith('.js') && !u.includes('/test/'));

// What a healthy check loads is most of what it costs (bench/check.mjs; scripts/build.mjs says why).
describe('the built CLI (dist/, scripts/build.mjs)', () => {
  it('a healthy check loads no undici, tls, https, child_process, assert or graceful-fs, and no dependency from disk', async () => {
    const h = await makeHome(FAST);
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    const loaded = warmCheck(h);
    const builtins = loaded.builtins.filter((m) => m.startsWith('NativeModule '));
    expect(builtins).toContain('NativeModule http');
    for (const unwanted of ['NativeModule tls', 'NativeModule https', 'NativeModule zlib'])
      expect(builtins).not.toContain(unwanted);
    // child_process only where a check spawns; assert not at all (signal-exit's one assert.equal).
    for (const unwanted of ['NativeModule child_process', 'NativeModule assert'])
      expect(builtins).not.toContain(unwanted);
    expect(builtins.filter((m) => m.includes('undici'))).toEqual([]);
    // ws and proper-lockfile are bundled; graceful-fs is not used at all.
    expect(loaded.files.filter((f) => f.includes('node_modules'))).toEqual([]);
    // Adapters only an unhealthy, suppressed or restarting check uses are lazy chunks, never
    // loaded here (each chunk's source map names the sources bundled in it).
    const chunks = chunksOf(loaded);
    expect(chunks).toContain(pathToFileURL(CLI).href);
    // Few files: each one the ESM loader loads costs its resolution, stats and read (the core of
    // a healthy check is two shared chunks, scripts/build.mjs; 43 files before, 23 at a2f3746).
    expect(chunks.length).toBeLessThanOrEqual(8);
    // V8 keeps each module's source: one byte a character only if all of it is Latin-1.
    for (const u of chunks)
      expect(readFileSync(fileURLToPath(u), 'utf8')).not.toMatch(/[\u0100-\uffff]/);
    const sources = chunks.flatMap(
      (u) =>
        (JSON.parse(readFileSync(`${fileURLToPath(u)}.map`, 'utf8')) as { sources: string[] })
          .sources,
    );
    expect(sources).toContain('../src/lib/observe.ts');
    const offPath = [
      'openclaw/sqlite.ts',
      'openclaw/boot-ledger.ts',
      'openclaw/lifecycle.ts',
      'lifecycle/user-stop.ts',
      'restart/can-start.ts',
      'restart/lock-guard.ts',
      'restart/index.ts',
      'notify/describe.ts',
    ];
    expect(sources.filter((s) => offPath.some((m) => s.endsWith(`/src/lib/${m}`)))).toEqual([]);
  });

  it('a warm healthy check of the gateway its lock names reads no /proc/net table: where it listens is remembered while it holds that socket', async () => {
    const h = await makeHome(FAST);
    const gw = startFakeGateway(['--port', String(h.port), '--state-dir', h.stateDir], {
      env: h.own,
    });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    // Each table read walks the kernel's whole socket hash (≈ 4 ms of CPU each, bench/README.md).
    expect(warmCheck(h).procNet).toEqual([]);
    // Zero config: the port comes from the lock (config/lock-port.ts), read when the config loads.
    const zero = { ...h.env };
    delete zero.OPENCLAW_GATEWAY_PORT;
    expect(warmCheck({ home: h.home, env: zero }).procNet).toEqual([]);
    const sockets = readdirSync(`/proc/${gw.pid}/fd`)
      .map((fd) => readlinkSync(`/proc/${gw.pid}/fd/${fd}`))
      .filter((l) => l.startsWith('socket:['));
    const remembered = h.state().lockListener as { pid: number; inode: number; port: number };
    expect(remembered).toMatchObject({ pid: gw.pid, port: h.port });
    expect(sockets).toContain(`socket:[${remembered.inode}]`);
  });

  it('keeps a source map beside each file it ships', () => {
    const map = JSON.parse(readFileSync(`${CLI}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../src/cli.ts');
  });
});
