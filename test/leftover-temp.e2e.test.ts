// Issue 24: a check killed mid-write (SIGKILL, the OOM killer) leaves its temp file behind; the
// next check that saves its state removes it once it is 10 min old, and nothing else.
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEFTOVER_AGE_MS } from '../src/lib/store/leftover-temp.js';
import { healthy } from './helpers/gateways.js';
import { startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { makeHome, withFakeRestart } from './helpers/watchdog-home.js';

afterEach(cleanUp);

describe('temp files a killed check left', () => {
  it('a check removes an old state.json.<hex>.tmp, keeps a fresh one and a user file', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    const args = ['--port', String(h.port), '--state-dir', h.stateDir];
    startFakeGateway(args, { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'gateway' });
    mkdirSync(h.dir, { recursive: true });
    const old = join(h.dir, 'state.json.0123456789abcdef.tmp');
    const fresh = join(h.dir, 'state.json.fedcba9876543210.tmp');
    const mine = join(h.dir, 'notes.tmp');
    for (const f of [old, fresh, mine]) writeFileSync(f, '{"torn":');
    const at = (Date.now() - LEFTOVER_AGE_MS - 60_000) / 1000;
    utimesSync(old, at, at);
    utimesSync(mine, at, at);
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(mine)).toBe(true);
  });
});
