import { describe, expect, it } from 'vitest';
import { afterOrphans } from '../../../../src/lib/decide/actions.js';
import {
  noteUnattributed,
  orphanKey,
  type UnattributedOrphan,
} from '../../../../src/lib/decide/liveness/orphan-notes.js';
import { MAX_ORPHANS_NOTED } from '../../../../src/lib/store/state-validate.js';
import { freshState } from '../../../../src/lib/store/state.js';

const orphan = (pid: number, name = 'chrome', rssMiB = 10): UnattributedOrphan => ({
  pid,
  startTicks: pid * 7,
  name,
  rssBytes: rssMiB * 2 ** 20,
});

describe('orphans nobody can attribute: said once per process', () => {
  it('the identity is the pid with its start time: a reused pid is another process', () => {
    expect(orphanKey({ pid: 1, startTicks: 2 })).toBe(orphanKey({ pid: 1, startTicks: 2 }));
    expect(orphanKey({ pid: 1, startTicks: 2 })).not.toBe(orphanKey({ pid: 1, startTicks: 3 }));
    expect(orphanKey({ pid: 12, startTicks: 3 })).not.toBe(orphanKey({ pid: 1, startTicks: 23 }));
    // 32-bit FNV-1a of "1:2".
    expect(orphanKey({ pid: 1, startTicks: 2 })).toBe(0x6124c0a0);
  });

  it('the first scan says all of them, in one warning with their pids, names and memory', () => {
    const r = noteUnattributed(freshState(), [orphan(1), orphan(2, 'node', 5), orphan(3)]);
    expect(r.event).toEqual({
      level: 'warn',
      event: 'orphans_found',
      count: 3,
      pids: [1, 2, 3],
      names: ['chrome', 'node'],
      rssBytes: 25 * 2 ** 20,
      reason: 'unattributed',
    });
    expect(r.state.orphansNoted).toEqual([1, 2, 3].map((p) => orphanKey(orphan(p))));
  });

  it('the next scan says only the new ones; a gone process drops out; nothing new: no event', () => {
    const first = noteUnattributed(freshState(), [orphan(1), orphan(2)]);
    const second = noteUnattributed(first.state, [orphan(2), orphan(3)]);
    expect(second.event).toMatchObject({ count: 1, pids: [3] });
    expect(second.state.orphansNoted).toEqual([orphanKey(orphan(2)), orphanKey(orphan(3))]);
    const third = noteUnattributed(second.state, [orphan(3)]);
    expect(third.event).toBeNull();
    expect(third.state.orphansNoted).toEqual([orphanKey(orphan(3))]);
  });

  it(`remembers at most ${MAX_ORPHANS_NOTED}, the ones already said first`, () => {
    const first = noteUnattributed(freshState(), [orphan(1000)]);
    const crowd = Array.from({ length: MAX_ORPHANS_NOTED + 4 }, (_, i) => orphan(i + 1));
    const r = noteUnattributed(first.state, [...crowd, orphan(1000)]);
    expect(r.event).toMatchObject({ count: MAX_ORPHANS_NOTED + 4 });
    expect(r.state.orphansNoted).toHaveLength(MAX_ORPHANS_NOTED);
    expect(r.state.orphansNoted[0]).toBe(orphanKey(orphan(1000)));
    expect(r.state.orphansNoted.slice(1)).toEqual(
      crowd.slice(0, MAX_ORPHANS_NOTED - 1).map(orphanKey),
    );
  });

  it('folded in after a reap: the event dated with the others, the noted set saved', () => {
    const folded = afterOrphans(
      freshState(),
      { reaped: [], events: [], unattributed: [orphan(4)] },
      42,
    );
    expect(folded.events).toEqual([expect.objectContaining({ event: 'orphans_found', at: 42 })]);
    expect(folded.state.orphansNoted).toEqual([orphanKey(orphan(4))]);
    const again = afterOrphans(
      folded.state,
      { reaped: [], events: [], unattributed: [orphan(4)] },
      43,
    );
    expect(again.events).toEqual([]);
  });
});
