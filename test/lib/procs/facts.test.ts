import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayIdentity } from '../../../src/lib/procs/attribute.js';
import { attributeListed, attributePid } from '../../../src/lib/procs/facts.js';
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
