import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/processes.js';
import { healthy } from './helpers/gateways.js';
import { FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

// Review of issue 24's backoff floor (store/last-restart.ts, decide/liveness/backoff-floor.ts):
// "a time in the future counts as now, so the floor never holds longer than restart.baseDelaySec".
// That holds only when the floor reaches state.json. When every check resets the state (a
// state.json that cannot be read or replaced: here a directory at its name), each check applies
// the floor afresh from the same future line, and it is always `now + baseDelaySec`: the gateway
// is never restarted (until the wall clock passes the forged/future time).
describe('backoff floor: a future gateway_restart in the log and a state that never persists', () => {
  it('a down gateway is restarted within a few baseDelaySec, not never', async () => {
    const h = await makeHome();
    const base = withFakeRestart(h.port);
    h.configure({ ...base, restart: { ...base.restart, baseDelaySec: 1 } });
    expect(FAST.restart.baseDelaySec).toBe(60);
    // state.json unusable (read: EISDIR; replaced: rename onto a directory fails).
    mkdirSync(join(h.dir, 'state.json'));
    // The last restart logged a year ahead (a clock that was wrong, then corrected).
    const future = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const line = {
      ts: future,
      level: 'info',
      event: 'gateway_restart',
      reason: 'crashed',
      method: 'command',
      pid: 1,
    };
    writeFileSync(join(h.dir, 'events.jsonl'), `${JSON.stringify(line)}\n`, { mode: 0o600 });
    const outcomes: string[] = [];
    // Checks as cron runs them; bounded: well past several baseDelaySec of 1 s.
    const restarted = await waitFor(
      async () => {
        const r = await h.check(['--json']);
        outcomes.push(r.stdout ? (JSON.parse(r.stdout) as { status: string }).status : r.stderr);
        return (await healthy(h.port)) || outcomes.length >= 8 ? 'done' : null;
      },
      { what: 'eight checks', timeoutMs: 60_000, intervalMs: 1000 },
    ).then(() => healthy(h.port));
    expect(restarted, `checks said: ${outcomes.join(', ')}`).toBeTruthy();
  });
});
