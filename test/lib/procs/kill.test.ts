import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/dirs.js';
import { signalIfSame, stopTrees } from '../../../src/lib/procs/kill.js';
import { listProcesses, readProc } from '../../../src/lib/procs/table.js';
import { descendants } from '../../../src/lib/procs/tree.js';
import {
  HELPER,
  isAlive,
  killTracked,
  start,
  startFakeGateway,
  track,
  waitFor,
} from '../../helpers/processes.js';

afterEach(() => killTracked());

const titled = async (title: string, extra: string[] = []) => {
  const child = start(process.execPath, [HELPER, title, ...extra]);
  await waitFor(() => readProc(child.pid!)?.title === title, { what: title });
  return child.pid!;
};

describe('signalIfSame', () => {
  it('never signals a pid whose start time changed (a reused pid)', async () => {
    const pid = await titled('openclaw-message');
    const real = readProc(pid)!.startTicks;
    expect(signalIfSame({ pid, startTicks: real - 1 }, 'SIGKILL', new Set())).toBe(false);
    expect(isAlive(pid)).toBe(true);
    expect(signalIfSame({ pid, startTicks: real }, 'SIGKILL', new Set([pid]))).toBe(false);
    expect(isAlive(pid)).toBe(true);
  });
});

describe('stopTrees', () => {
  it('SIGTERM, then SIGKILL for a process that ignores SIGTERM or is stopped; verifies they are gone', async () => {
    const stubborn = await titled('openclaw-stubborn', ['--ignore-term']);
    const stopped = await titled('openclaw-stopped');
    process.kill(stopped, 'SIGSTOP');
    const polite = await titled('openclaw-polite');
    const r = await stopTrees(
      [stubborn, stopped, polite].map((pid) => ({ pid, startTicks: readProc(pid)!.startTicks })),
      500,
    );
    expect(r.survivors).toEqual([]);
    expect(r.killed.sort()).toEqual([stubborn, stopped].sort());
    expect(r.stopped.sort()).toEqual([stubborn, stopped, polite].sort());
    for (const pid of [stubborn, stopped, polite]) expect(isAlive(pid)).toBe(false);
  });

  it('never stops itself or an ancestor', async () => {
    const r = await stopTrees(
      [
        { pid: process.pid, startTicks: readProc(process.pid)!.startTicks },
        { pid: process.ppid, startTicks: readProc(process.ppid)!.startTicks },
      ],
      100,
    );
    expect(r.stopped).toEqual([]);
    expect(isAlive(process.pid)).toBe(true);
  });
});

describe('stopTrees: identity and protected trees', () => {
  it('never signals a target without a start time (a pid alone may name anything by now)', async () => {
    const pid = await titled('openclaw-message');
    expect(signalIfSame({ pid, startTicks: null }, 'SIGKILL', new Set())).toBe(false);
    const r = await stopTrees([{ pid, startTicks: null }], 100);
    expect(r.stopped).toEqual([]);
    expect(isAlive(pid)).toBe(true);
  });

  it('never signals a tree that holds a protected pid (a launcher whose child is the live gateway)', async () => {
    const launcher = startFakeGateway(['--port', '1', '--children', 'openclaw-gateway']).pid!;
    const child = await waitFor(
      async () =>
        descendants(launcher, await listProcesses()).find((p) => p.title === 'openclaw-gateway')
          ?.pid,
      { what: 'child' },
    );
    const r = await stopTrees(
      [{ pid: launcher, startTicks: readProc(launcher)!.startTicks }],
      100,
      {
        protect: [child],
      },
    );
    expect(r.stopped).toEqual([]);
    expect(isAlive(launcher)).toBe(true);
    expect(isAlive(child)).toBe(true);
  });
});

describe('stopTrees, the roots first (a graceful restart)', () => {
  it('SIGTERMs the root alone and lets it exit before its tree gets SIGTERM', async () => {
    const dir = tempDir();
    const seen = join(dir, 'ppid-at-sigterm');
    // A root that, like the gateway, drains for a moment after SIGTERM, with one child.
    const script = `const { spawn } = require('node:child_process');
      spawn(process.execPath, [${JSON.stringify(HELPER)}, 'openclaw-kid', '--on-term', ${JSON.stringify(seen)}], { stdio: 'ignore' });
      process.title = 'openclaw-root';
      process.on('SIGTERM', () => setTimeout(() => process.exit(0), 100));
      setInterval(() => {}, 1 << 30);`;
    const root = start(process.execPath, ['-e', script]).pid!;
    const kid = await waitFor(async () =>
      descendants(root, await listProcesses()).find((p) => p.title === 'openclaw-kid'),
    );
    track(kid.pid);
    const r = await stopTrees([{ pid: root, startTicks: readProc(root)!.startTicks }], 5000, {
      rootsFirst: { treeTimeoutMs: 2000 },
    });
    expect(r).toMatchObject({ killed: [], survivors: [] });
    expect(r.stopped.sort()).toEqual([root, kid.pid].sort());
    // The child got its SIGTERM after the root was gone (adopted by then), not with it.
    expect(Number(readFileSync(seen, 'utf8'))).not.toBe(root);
  });
});

describe('stopTrees, the roots first, with a hold (a gateway that still answers)', () => {
  it('`leave`: a root that ignores SIGTERM is left running, never SIGKILLed; its tree untouched', async () => {
    const root = await titled('openclaw-gateway', ['--ignore-term']);
    const looks: number[] = [];
    const r = await stopTrees([{ pid: root, startTicks: readProc(root)!.startTicks }], 0, {
      rootsFirst: {
        treeTimeoutMs: 500,
        pollMs: 20,
        hold: async (since) => {
          looks.push(since);
          return looks.length < 3 ? 'wait' : 'leave';
        },
      },
    });
    expect(r).toEqual({ stopped: [], killed: [], survivors: [], left: [root] });
    expect(looks).toHaveLength(3);
    expect(isAlive(root)).toBe(true);
  });

  it('`kill` (it stopped answering): SIGKILL, counted as killed', async () => {
    const root = await titled('openclaw-gateway', ['--ignore-term']);
    const r = await stopTrees([{ pid: root, startTicks: readProc(root)!.startTicks }], 0, {
      rootsFirst: { treeTimeoutMs: 500, pollMs: 20, hold: async () => 'kill' },
    });
    expect(r).toMatchObject({ stopped: [root], killed: [root], survivors: [] });
    expect(r.left).toBeUndefined();
  });

  it('a root that exits during the wait is never asked about again, nor killed', async () => {
    // It outlives its SIGTERM (so the first ask sees it alive, whatever the machine's load) and
    // exits when that first ask tells it to: from then on it is gone (a zombie counts as gone).
    const script = `process.on('SIGTERM', () => {});
      process.on('SIGUSR2', () => process.exit(0));
      process.title = 'openclaw-gateway';
      setInterval(() => {}, 1 << 30);`;
    const root = start(process.execPath, ['-e', script]).pid!;
    await waitFor(() => readProc(root)?.title === 'openclaw-gateway', { what: 'the root' });
    let asked = 0;
    let aliveAtFirstAsk = false;
    let sawGone = false;
    let askedAfterGone = 0;
    const hold = async () => {
      asked++;
      if (sawGone) askedAfterGone++;
      if (readProc(root) === null) sawGone = true;
      if (asked === 1) {
        aliveAtFirstAsk = !sawGone;
        process.kill(root, 'SIGUSR2');
      }
      return 'wait' as const;
    };
    const r = await stopTrees([{ pid: root, startTicks: readProc(root)!.startTicks }], 0, {
      rootsFirst: { treeTimeoutMs: 5000, pollMs: 20, hold },
    });
    expect(r).toMatchObject({ stopped: [root], killed: [] });
    expect(aliveAtFirstAsk).toBe(true);
    expect(askedAfterGone).toBe(0);
  });
});
