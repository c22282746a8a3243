import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayIdentity } from '../../../src/lib/procs/attribute.js';
import { attributorFor, isExitingStat } from '../../../src/lib/procs/facts.js';

const attributePid = (pid: number, me: GatewayIdentity) => attributorFor(me).whose(pid);
const attributeListed = (p: { pid: number; startTicks: number }, me: GatewayIdentity) =>
  attributorFor(me).listed(p);
import { readStartTicks } from '../../../src/lib/procs/table.js';
import { MARK, killTracked, start, waitFor } from '../../helpers/processes.js';

const me: GatewayIdentity = {
  port: 18789,
  stateDir: '/home/ocwd-facts/.openclaw',
  profile: null,
  configPath: '/home/ocwd-facts/.openclaw/openclaw.json',
};
const env = {
  HOME: '/home/ocwd-facts',
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  OCWD_TEST_MARK: MARK,
};
const children = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
const state = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

afterEach(() => killTracked());

describe.runIf(process.platform === 'linux')('attributeListed', () => {
  it('a process that exited since it was listed is gone (null), not an unknown gateway to wait for', async () => {
    // The shell's background child exits; the exec'd `sleep` never waits for it: a zombie, as a
    // gateway killed between the check's listing and its reading of /proc/<pid>/environ.
    const parent = start('sh', ['-c', 'sleep 0.05 & exec sleep 60'], { env }).pid!;
    let zombie = 0;
    await waitFor(
      () => {
        zombie = children(parent)[0] ?? 0;
        return zombie > 0 && state(zombie) === 'Z';
      },
      { what: 'a zombie child' },
    );
    const startTicks = readStartTicks(zombie)!;
    // Its environment cannot be read any more: on its own that reads as `unknown` (the old wait).
    expect(attributePid(zombie, me)).toBe('unknown');
    expect(attributeListed({ pid: zombie, startTicks }, me)).toBeNull();
    expect(isExitingStat(readFileSync(`/proc/${zombie}/stat`, 'utf8'))).toBe(true);
  });

  it('a live process is attributed from its facts; another start time is another process', () => {
    const pid = start('sleep', ['60'], { env }).pid!;
    const startTicks = readStartTicks(pid)!;
    // Only HOME shows, and this state dir is HOME's default: it may be ours booting.
    expect(attributeListed({ pid, startTicks }, me)).toBe('unknown');
    expect(attributeListed({ pid, startTicks }, { ...me, stateDir: '/srv/b' })).toBe('other');
    expect(attributeListed({ pid, startTicks: startTicks + 1 }, me)).toBeNull();
  });
});

describe('isExitingStat', () => {
  // Field 9 (flags): 0x400040 a running process, 0x40404c one in do_exit (PF_EXITING = 0x4).
  const stat = (name: string, state: string, flags: number) =>
    `4242 (${name}) ${state} 1 4242 4242 0 -1 ${flags} 0 0 0 0 1 2 0 0 20 0 11 0 12345 0 0`;
  it('PF_EXITING in the flags is exiting, in any state, whatever the name holds', () => {
    expect(isExitingStat(stat('openclaw-gatewa', 'S', 0x400040))).toBe(false);
    expect(isExitingStat(stat('openclaw-gatewa', 'D', 0x40404c))).toBe(true);
    expect(isExitingStat(stat('openclaw-gatewa', 'R', 0x404044))).toBe(true);
    expect(isExitingStat(stat('a) 1 2 (b', 'S', 0x400040))).toBe(false);
  });
  it('this live process does not have it', () => {
    expect(isExitingStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'))).toBe(false);
  });
});
