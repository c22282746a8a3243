import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, waitFor } from './helpers/processes.js';
import { healthy, listener } from './helpers/gateways.js';
import { FAST, makeHome, withFakeRestart } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

// Issue 24 (soak seed 12, 700 steps): a corrupted state.json lost the last restart's time, and the
// next crash was restarted 553 ms after the last restart. The event log keeps the backoff's floor.
describe('a state reset right after a restart keeps the backoff (restart.baseDelaySec)', () => {
  const damage = {
    torn: (file: string) => writeFileSync(file, '{"version":1,"restarts":{"tot'),
    removed: (file: string) => rmSync(file),
    'wrong restarts field': (file: string) =>
      writeFileSync(file, JSON.stringify({ version: 1, restarts: 'soon' })),
  };
  for (const [how, harm] of Object.entries(damage)) {
    it(`state.json ${how}, then the gateway crashes: deferred until baseDelaySec after the restart`, async () => {
      const h = await makeHome();
      h.configure(withFakeRestart(h.port));
      expect(FAST.restart.baseDelaySec).toBe(60);
      // Down: the first check restarts it.
      const first = await h.check();
      expect(first.code, `${first.stderr} ${JSON.stringify(h.events())}`).toBe(0);
      await waitFor(() => healthy(h.port), { what: 'restarted gateway' });
      const restart = h.events().find((e) => e.event === 'gateway_restart')!;
      expect(restart).toBeDefined();
      // state.json damaged, then the new gateway crashes before any check rewrote it.
      harm(join(h.dir, 'state.json'));
      const pid = listener(h.port)!;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !isAlive(pid), { what: 'crash' });
      const r = await h.check(['--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'deferred' });
      expect(JSON.parse(r.stdout).restart).toBeUndefined();
      expect(listener(h.port)).toBeNull();
      if (how !== 'removed') expect(h.eventNames()).toContain('state_reset');
      expect(h.eventNames().filter((e) => e === 'gateway_restart')).toHaveLength(1);
      const deferred = h.events().find((e) => e.event === 'restart_deferred')!;
      expect(Date.parse(String(deferred.nextAttemptAt))).toBe(
        Date.parse(String(restart.ts)) + 60_000,
      );
      // The floor is in the new state: the next check holds it too.
      expect((await h.check()).code).toBe(1);
      expect(h.eventNames().filter((e) => e === 'gateway_restart')).toHaveLength(1);
      expect(h.state()).toMatchObject({
        restarts: { nextAllowedAt: Date.parse(String(restart.ts)) + 60_000 },
      });
    });
  }
});
