import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/load.js';
import { afterRestart } from '../../../src/lib/decide/liveness/after-restart.js';
import type { ProbeResult } from '../../../src/lib/probe/types.js';
import { restartGateway } from '../../../src/lib/restart/index.js';
import { freshState } from '../../../src/lib/store/state.js';
import { tempDir } from '../../helpers/dirs.js';
import { track } from '../../helpers/processes.js';
import { cleanUp } from '../../helpers/teardown.js';

afterEach(cleanUp);

/** A home whose restart.command starts a process that stays (it never answers: the probe is faked). */
function config() {
  const home = tempDir();
  const dir = join(home, '.openclaw', 'watchdog');
  mkdirSync(dir, { recursive: true });
  const command = [process.execPath, '-e', 'setInterval(() => {}, 1 << 30)'];
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ restart: { command } }));
  return loadConfig({}, { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' });
}

const probeResult = (verdict: ProbeResult['verdict']) =>
  ({ verdict, host: '127.0.0.1', port: 1, ms: 1, reason: verdict }) as ProbeResult;

/**
 * Verify with scripted clocks: the wall/monotonic clock and the boot-time clock advance by the
 * given steps at each reading; the probe answers refused, then healthy.
 */
async function verifyWith(steps: { now: number[]; boot: number[] }) {
  let n = 0;
  let b = 0;
  let wall = 1_000_000;
  let boot = 5_000_000;
  const probes: ProbeResult['verdict'][] = ['refused', 'refused', 'healthy'];
  const outcome = await restartGateway(config(), {
    probe: async () => probeResult(probes.shift() ?? 'healthy'),
    now: () => (wall += steps.now[n++] ?? 10),
    bootClock: () => (boot += steps.boot[b++] ?? 10),
    probeTimeoutMs: 2000,
    say: () => {},
  });
  if (outcome.pid) track(outcome.pid);
  return outcome;
}

describe('the boot time a restart teaches (issue 24 #5)', () => {
  it('a check stalled during verify (the boot-time clock jumped past a probe round) learns nothing', async () => {
    // The third reading of each clock jumps 12 s: the check was SIGSTOPped between two probes.
    const outcome = await verifyWith({ now: [10, 10, 12_000], boot: [10, 10, 12_000] });
    expect(outcome.result).toBe('healthy');
    expect(outcome.stalled).toBe(true);
    const { state } = afterRestart(freshState(), outcome, 'crashed');
    expect(state.slowestBootSec).toBeNull();
    // Noted (so that no later check learns it either), not learned.
    expect(state.spawned?.bootSec).toBeDefined();
  });

  it('without a stall the boot is the boot-time clock from the start to the first healthy probe', async () => {
    const outcome = await verifyWith({
      now: [10, 10, 10, 10, 10, 10, 10],
      boot: [0, 300, 300, 300, 300, 300, 300, 300],
    });
    expect(outcome.result).toBe('healthy');
    expect(outcome.stalled).toBeUndefined();
    expect(outcome.bootMs).toBeGreaterThan(1000);
    const { state } = afterRestart(freshState(), outcome, 'crashed');
    expect(state.slowestBootSec).toBe(Math.round(outcome.bootMs! / 100) / 10);
  });
});
