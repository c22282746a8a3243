import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../src/check.js';
import { loadConfig } from '../src/lib/config/load.js';
import { observe } from '../src/lib/observe.js';
import type { ProbeOptions } from '../src/lib/probe/index.js';
import type { ProbeResult, Verdict } from '../src/lib/probe/types.js';
import { removeTempDirs } from './helpers/dirs.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';

afterEach(() => {
  vi.restoreAllMocks();
  removeTempDirs();
});

function probeResult(options: ProbeOptions, verdict: Verdict): ProbeResult {
  return {
    verdict,
    host: options.host,
    port: options.port,
    ms: 3,
    startup: null,
    ready: null,
    failing: [],
    eventLoop: null,
    version: null,
    reason: `probe said ${verdict}`,
    steps: {},
  };
}

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * A check run in this process: its process.exit and its one-line messages are caught (the exit
 * codes, a promise of the first exit, the lines); `added()` lists the SIGTERM handlers the check
 * installed, and `removeAdded()` takes off every signal handler it left (it never ends).
 */
function inProcess() {
  const exits: (number | undefined)[] = [];
  let exited: () => void = () => {};
  const exit = new Promise<void>((resolve) => (exited = resolve));
  vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exits.push(code);
    exited();
  }) as typeof process.exit);
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array) => {
    if (String(chunk).startsWith('openclaw-watchdog:')) lines.push(String(chunk));
    else write(chunk);
    return true;
  }) as typeof process.stderr.write);
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const addedTo = (s: (typeof SIGNALS)[number]) =>
    process.listeners(s).filter((l) => !before.get(s)!.has(l));
  return {
    exits,
    exit,
    lines,
    added: () => addedTo('SIGTERM'),
    removeAdded: () => {
      for (const s of SIGNALS) for (const l of addedTo(s)) process.off(s, l);
    },
  };
}

/** Turns of the event loop (no timer): enough for a check that goes on to record and end. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

// Review of issue 24 (D3): the signal handler ran beside the rest of the check, which went on to
// record its end normally ("restarted", or a false lock_lost) while the handler queued, released
// and exited. In process, so that the signal comes at an exact point: inside verify's probe.
describe('a check interrupted by SIGTERM in the middle of verify (in process)', () => {
  it('the handler records once and exits 1; the check itself records nothing more and never ends', async () => {
    const h = await makeHome();
    // A start command that exits 0 at once: verify keeps probing (the injected probe).
    h.configure({ ...FAST, restart: { ...FAST.restart, command: [process.execPath, '-e', ''] } });
    const config = loadConfig({}, h.env);
    const { exits, exit, lines, added, removeAdded } = inProcess();
    let probes = 0;
    let settled = false;
    const check = runCheck(config, {
      dryRun: false,
      say: () => {},
      probe: async (options) => {
        probes++;
        if (probes === 1) return probeResult(options, 'refused');
        // verify's first probe: SIGTERM comes now, and the gateway answers at once
        const ours = added();
        expect(ours).toHaveLength(1);
        (ours[0] as (s: NodeJS.Signals) => void)('SIGTERM');
        (ours[0] as (s: NodeJS.Signals) => void)('SIGTERM'); // a second one changes nothing
        return probeResult(options, 'healthy');
      },
      observe,
    });
    void check.then(
      () => (settled = true),
      () => (settled = true),
    );
    await exit;
    await turns(50);
    expect(exits).toEqual([1]);
    expect(lines).toEqual([
      'openclaw-watchdog: check interrupted by SIGTERM; recorded what it did\n',
    ]);
    // The check went no further: no final record (no recovery line, no lock_lost), no report.
    expect(settled).toBe(false);
    expect(h.eventNames()).toEqual(['gateway_down', 'gateway_restart']);
    // The restart and its backoff step are saved (by the journal, when the gateway was started).
    expect(h.state()).toMatchObject({ restarts: { total: 1, consecutive: 1 } });
    // The lock was released by the handler.
    expect(existsSync(join(h.dir, 'check.lock'))).toBe(false);
    // The check's handlers are still installed (it never ended): removed here.
    removeAdded();
  });

  it('SIGTERM while the lock is being taken: held until the handler is in place, then the lock is released, exit 1', async () => {
    const h = await makeHome();
    h.configure(FAST);
    const config = loadConfig({}, h.env);
    const { exits, exit, lines, added, removeAdded } = inProcess();
    let probes = 0;
    void runCheck(config, {
      dryRun: false,
      say: () => {},
      probe: async (options) => {
        probes++;
        return probeResult(options, 'healthy');
      },
      observe,
    });
    // runCheck is at its first await, taking the lock: the signal comes now.
    const listening = added();
    expect(listening).toHaveLength(1);
    (listening[0] as (s: NodeJS.Signals) => void)('SIGTERM');
    await exit;
    expect(exits).toEqual([1]);
    expect(lines).toEqual(['openclaw-watchdog: check interrupted by SIGTERM; nothing to record\n']);
    expect(probes).toBe(0);
    // Not left behind: the next check can take it.
    expect(existsSync(join(h.dir, 'check.lock'))).toBe(false);
    removeAdded();
  });
});
