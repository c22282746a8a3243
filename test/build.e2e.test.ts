import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, startFakeGateway, waitFor } from './helpers/processes.js';
import { healthy } from './helpers/gateways.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

// What a healthy check loads is most of what it costs (bench/check.mjs; scripts/build.mjs says why).
describe('the built CLI (dist/, scripts/build.mjs)', () => {
  it('a healthy check loads no undici, tls, https, child_process, assert or graceful-fs, and no dependency from disk', async () => {
    const h = await makeHome(FAST);
    startFakeGateway(['--port', String(h.port)], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
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
    const loaded = JSON.parse(readFileSync(out, 'utf8')) as { builtins: string[]; files: string[] };
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
  });

  it('keeps a source map beside each file it ships', () => {
    const map = JSON.parse(readFileSync(`${CLI}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../src/cli.ts');
  });
});
