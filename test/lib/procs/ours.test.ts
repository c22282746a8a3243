import { describe, expect, it } from 'vitest';
import type { Attribution } from '../../../src/lib/procs/attribute.js';
import { ancestorIn, gatewaysOf, isGatewayProc, portOwnerOf } from '../../../src/lib/procs/ours.js';
import type { Proc } from '../../../src/lib/procs/proc-stat.js';

/** A process of this user; a gateway by default (title openclaw-gateway, an hour old). */
const proc = (pid: number, ppid: number, over: Partial<Proc> = {}): Proc => ({
  pid,
  ppid,
  uid: 1000,
  name: 'openclaw-gatewa',
  title: 'openclaw-gateway',
  startTicks: pid * 10,
  state: 'S',
  rssBytes: 1,
  ageSec: 3600,
  ...over,
});
const launcher = (pid: number, ppid = 1) =>
  proc(pid, ppid, { name: 'openclaw-run.sh', title: '/bin/sh' });
const cli = (pid: number, ppid = 1, ageSec = 3600) =>
  proc(pid, ppid, { name: 'openclaw', title: 'openclaw', ageSec });
const helper = (pid: number, ppid: number) => proc(pid, ppid, { name: 'node', title: 'node' });

/** An attributor that answers from a table (unknown for anything it was not told). */
function attributor(
  whose: Record<number, Attribution>,
  opts: { gone?: number[]; holdsOurState?: number[] } = {},
) {
  return {
    whose: (pid: number) => whose[pid] ?? 'unknown',
    listed: (p: { pid: number }) =>
      opts.gone?.includes(p.pid) ? null : (whose[p.pid] ?? 'unknown'),
    holdsOurState: (pid: number) => opts.holdsOurState?.includes(pid) ?? false,
  };
}
const byPidOf = (table: Proc[]) => new Map(table.map((p) => [p.pid, p]));
const decideOn = (table: Proc[], roots: number[], a = attributor({})) =>
  gatewaysOf(table, new Set(roots), byPidOf(table), a).map(({ pid, ours }) => ({ pid, ours }));

describe('isGatewayProc', () => {
  it('titled openclaw-gateway (or its 15-character comm), or plain openclaw younger than 60 s', () => {
    expect(isGatewayProc(proc(1, 0))).toBe(true);
    expect(isGatewayProc(proc(1, 0, { title: 'x' }))).toBe(true); // comm openclaw-gatewa
    expect(isGatewayProc(proc(1, 0, { name: 'x' }))).toBe(true); // title openclaw-gateway
    expect(isGatewayProc(cli(1, 0, 59))).toBe(true);
    expect(isGatewayProc(cli(1, 0, 60))).toBe(false);
    expect(isGatewayProc(helper(1, 0))).toBe(false);
    expect(isGatewayProc(proc(1, 0, { name: 'openclaw', title: 'openclaw-cli', ageSec: 1 }))).toBe(
      false,
    );
  });
});

describe('ancestorIn', () => {
  it('the nearest ancestor in the set, never the process itself; a pid loop ends', () => {
    const table = [proc(1, 0), launcher(10, 1), proc(20, 10), helper(30, 20)];
    const byPid = byPidOf(table);
    expect(ancestorIn(table[3]!, new Set([10, 20]), byPid)?.pid).toBe(20);
    expect(ancestorIn(table[3]!, new Set([10]), byPid)?.pid).toBe(10);
    expect(ancestorIn(table[2]!, new Set([20]), byPid)).toBeNull();
    const loop = [proc(40, 41), proc(41, 40)];
    expect(ancestorIn(loop[0]!, new Set([99]), byPidOf(loop))).toBeNull();
    expect(ancestorIn(loop[0]!, new Set([40]), byPidOf(loop))).toBeNull();
  });
});

describe('portOwnerOf: whose the process on the port is', () => {
  const table = [launcher(10), proc(20, 10), proc(30, 1), helper(40, 1)];
  const byPid = byPidOf(table);
  const owner = (pid: number, sameUser = true, roots: number[] = [], whose = attributor({})) =>
    portOwnerOf(byPid.get(pid)!, sameUser, new Set(roots), byPid, whose);

  it('a gateway we know (spawned, lock) is ours, whatever the attributor says', () => {
    expect(owner(30, true, [30], attributor({ 30: 'other' }))).toEqual({
      pid: 30,
      name: 'openclaw-gateway',
      startTicks: 300,
      gateway: true,
      whose: 'ours',
    });
  });

  it('a gateway under a launcher we know is ours', () => {
    expect(owner(20, true, [10], attributor({ 20: 'other' })).whose).toBe('ours');
  });

  it('any other gateway is what the attributor says: another state dir’s is not ours', () => {
    expect(owner(30, true, [], attributor({ 30: 'other' })).whose).toBe('other');
    expect(owner(30, true, [], attributor({ 30: 'ours' })).whose).toBe('ours');
    expect(owner(30, true, []).whose).toBe('unknown');
  });

  it('another user’s gateway, or a process that is not a gateway, is other and not a gateway', () => {
    expect(owner(30, false, [30])).toMatchObject({ gateway: false, whose: 'other' });
    expect(owner(40, true, [40])).toMatchObject({ gateway: false, whose: 'other', name: 'node' });
  });

  it('names the process by its title, else its kernel name', () => {
    const bare = proc(50, 1, { title: '', name: 'python3' });
    expect(portOwnerOf(bare, true, new Set(), byPidOf([bare]), attributor({})).name).toBe(
      'python3',
    );
  });
});

describe('gatewaysOf: the gateways a check decides about (and may stop)', () => {
  it('a known gateway is ours; another state dir’s gateway is left out; an unattributed one is listed, not ours', () => {
    const table = [proc(10, 1), proc(20, 1), proc(30, 1)];
    const a = attributor({ 20: 'other', 30: 'unknown' });
    expect(decideOn(table, [10], a)).toEqual([
      { pid: 10, ours: true },
      { pid: 30, ours: false },
    ]);
  });

  it('a gateway the attributor proves ours is ours without being known', () => {
    expect(decideOn([proc(20, 1)], [], attributor({ 20: 'ours' }))).toEqual([
      { pid: 20, ours: true },
    ]);
  });

  it('a gateway exiting or gone since the listing is left out', () => {
    const table = [proc(10, 1), proc(20, 1)];
    expect(decideOn(table, [], attributor({ 10: 'ours' }, { gone: [20] }))).toEqual([
      { pid: 10, ours: true },
    ]);
  });

  it('a gateway under our launcher is ours, even when the attributor says another state dir', () => {
    const table = [launcher(10), proc(20, 10)];
    expect(decideOn(table, [10], attributor({ 20: 'other' }))).toEqual([
      { pid: 10, ours: true },
      { pid: 20, ours: true },
    ]);
  });

  it('a gateway-titled child of our gateway is part of its tree, not a gateway of its own', () => {
    const table = [proc(10, 1), helper(15, 10), proc(20, 15)];
    expect(decideOn(table, [10])).toEqual([{ pid: 10, ours: true }]);
    // Under our launcher, but below another gateway of the launcher: that gateway's child.
    const tree = [launcher(5), proc(10, 5), proc(20, 10)];
    expect(decideOn(tree, [5])).toEqual([
      { pid: 5, ours: true },
      { pid: 10, ours: true },
    ]);
  });

  it('a plain openclaw counts only when positively ours: known, under ours, or holding our state database', () => {
    const table = [cli(10, 1, 5), cli(20, 1, 5), cli(30, 1, 5)];
    expect(decideOn(table, [10], attributor({}, { holdsOurState: [30] }))).toEqual([
      { pid: 10, ours: true },
      { pid: 30, ours: true },
    ]);
    // Older than the boot title lasts: the CLI, never a gateway (unless known).
    expect(decideOn([cli(40, 1, 3600)], [], attributor({}, { holdsOurState: [40] }))).toEqual([]);
  });

  it('a known root that is no gateway by title (our launcher) is listed as ours', () => {
    expect(decideOn([launcher(10), helper(11, 1)], [10])).toEqual([{ pid: 10, ours: true }]);
  });

  it('keeps pid, start time, age and title of each', () => {
    const g = proc(10, 1, { startTicks: 777, ageSec: 12, title: 'openclaw-gateway' });
    expect(gatewaysOf([g], new Set([10]), byPidOf([g]), attributor({}))).toEqual([
      { pid: 10, startTicks: 777, ageSec: 12, title: 'openclaw-gateway', ours: true },
    ]);
  });
});

describe('gatewaysOf: the edges of "ours"', () => {
  it('a plain openclaw CLI whose environment looks ours is no launcher: a gateway under it is still attributed on its own', () => {
    const table = [cli(10, 1), proc(20, 10)];
    expect(decideOn(table, [], attributor({ 10: 'ours' }))).toEqual([{ pid: 20, ours: false }]);
  });

  it('a gateway under a gateway nobody can attribute is kept, as not ours (never a child of ours)', () => {
    const table = [proc(10, 1), proc(20, 10)];
    expect(decideOn(table, [], attributor({}))).toEqual([
      { pid: 10, ours: false },
      { pid: 20, ours: false },
    ]);
    expect(decideOn(table, [], attributor({ 10: 'other', 20: 'other' }))).toEqual([]);
  });

  it('a gateway under our launcher is ours even when another gateway runs above the launcher', () => {
    const table = [proc(5, 1), launcher(10, 5), proc(20, 10)];
    expect(decideOn(table, [10], attributor({ 5: 'other' }))).toEqual([
      { pid: 10, ours: true },
      { pid: 20, ours: true },
    ]);
  });
});

describe('ancestorIn: a pid loop above the process', () => {
  it('ends (no ancestor found) when the parents loop without the process itself', () => {
    const table = [helper(30, 10), helper(10, 20), helper(20, 10)];
    expect(ancestorIn(table[0]!, new Set([99]), byPidOf(table))).toBeNull();
  });
});
