import { describe, expect, it } from 'vitest';
import {
  classifyOrphans,
  globToRegExp,
  unitFromCgroup,
  type OrphanRules,
} from '../../../src/lib/orphans/classify.js';
import type { Proc } from '../../../src/lib/procs/proc-stat.js';

const proc = (pid: number, ppid: number, title: string, extra: Partial<Proc> = {}): Proc => ({
  pid,
  ppid,
  uid: 1000,
  name: title.slice(0, 15),
  title,
  startTicks: pid * 7,
  state: 'S',
  rssBytes: 1 << 20,
  ageSec: 1000,
  ...extra,
});
const rules = (over: Partial<OrphanRules> = {}): OrphanRules => ({
  uid: 1000,
  patterns: ['openclaw-*'],
  livePids: new Set(),
  protectedPids: new Set([50, 40, 1]),
  minAgeSec: null,
  graceSec: 120,
  holdsPort: () => false,
  unitOf: () => null,
  attribution: () => 'ours',
  ...over,
});
/** The orphans that are reaped: attributed to this watchdog's gateway. */
const pids = (table: Proc[], r = rules()) =>
  classifyOrphans(table, r)
    .filter((o) => o.whose === 'ours')
    .map((o) => o.pid);

const TABLE: Proc[] = [
  proc(1, 0, 'init', { name: 'init' }),
  proc(40, 1, 'bash', { name: 'bash' }),
  proc(50, 40, 'node', { name: 'node' }), // the watchdog
  proc(100, 1, 'openclaw-message'), // orphan
  proc(101, 1, 'openclaw-completion'), // orphan
  proc(102, 40, 'openclaw-hooks'), // parent alive: not an orphan
  proc(103, 1, 'node', { name: 'node' }), // name only in args (title is node)
  proc(104, 1, 'openclaw-message', { uid: 0 }), // another user's
  proc(200, 1, 'openclaw-gateway', { name: 'openclaw-gatewa' }), // live gateway
  proc(201, 200, 'openclaw-message'), // the live gateway's child
  proc(300, 1, 'openclaw-gateway', { name: 'openclaw-gatewa' }), // stale gateway, no port
  proc(301, 1, 'openclaw-gateway', { name: 'openclaw-gatewa', ageSec: 30 }), // booting gateway
  proc(400, 1, 'openclaw-watchdog', { name: 'openclaw-watchd' }), // never
];

describe('classifyOrphans', () => {
  it('finds parentless, same-user, pattern-named helpers and nothing else', () => {
    expect(pids(TABLE, rules({ livePids: new Set([200]) }))).toEqual([100, 101, 300]);
  });

  it('a gateway that holds a port (another profile) or is young is never an orphan', () => {
    expect(
      pids(TABLE, rules({ livePids: new Set([200]), holdsPort: (pid) => pid === 300 })),
    ).toEqual([100, 101]);
  });

  it('respects minAgeSec', () => {
    const table = [
      proc(1, 0, 'init'),
      proc(100, 1, 'openclaw-message', { ageSec: 700 }),
      proc(101, 1, 'openclaw-message', { ageSec: 30 }),
    ];
    expect(pids(table, rules({ minAgeSec: 600 }))).toEqual([100]);
  });

  it("counts a subreaper (systemd --user, tini) as no parent, but not another unit's main process", () => {
    const table = [
      proc(1, 0, 'init'),
      proc(10, 1, 'systemd', { name: 'systemd' }),
      proc(11, 10, 'openclaw-message'),
      proc(12, 10, 'openclaw-node'),
    ];
    const r = rules({
      unitOf: (pid) =>
        pid === 12 ? 'openclaw-node.service' : pid === 11 ? 'openclaw-gateway.service' : null,
    });
    expect(pids(table, r)).toEqual([11]);
  });

  it('matches user patterns against the name or the title basename, never the arguments', () => {
    const table = [
      proc(1, 0, 'init'),
      proc(100, 1, '/home/u/.local/bin/claude', { name: 'claude' }),
      proc(101, 1, 'tail', { name: 'tail' }),
    ];
    expect(pids(table, rules({ patterns: ['claude'] }))).toEqual([100]);
    expect(pids(table, rules({ patterns: ['openclaw-*'] }))).toEqual([]);
  });

  it('never a tree that holds the live gateway or any gateway: a launcher (openclaw-run.sh) stays', () => {
    const table = [
      proc(1, 0, 'init'),
      proc(60, 1, '/bin/sh', { name: 'openclaw-run.sh' }), // launcher of the live gateway
      proc(61, 60, 'openclaw-gateway', { name: 'openclaw-gatewa' }),
      proc(70, 1, '/bin/sh', { name: 'openclaw-run.sh' }), // launcher of a booting gateway
      proc(71, 70, 'openclaw', { name: 'openclaw' }),
      proc(80, 1, '/bin/sh', { name: 'openclaw-run.sh' }), // launcher of a helper only
      proc(81, 80, 'openclaw-message'),
    ];
    expect(pids(table, rules({ livePids: new Set([61]) }))).toEqual([80]);
  });

  it('a stale gateway is an orphan only when it is provably ours (not another or an unattributable one)', () => {
    const table = [
      proc(1, 0, 'init'),
      proc(300, 1, 'openclaw-gateway', { name: 'openclaw-gatewa' }),
      proc(301, 1, 'openclaw-gateway', { name: 'openclaw-gatewa' }),
      proc(302, 1, 'openclaw-gateway', { name: 'openclaw-gatewa' }),
    ];
    const whose = { 300: 'ours', 301: 'other', 302: 'unknown' } as const;
    const r = rules({ attribution: (pid) => whose[pid as 300 | 301 | 302] });
    expect(pids(table, r)).toEqual([300]);
    expect(classifyOrphans(table, r).map((o) => [o.pid, o.whose])).toEqual([
      [300, 'ours'],
      [302, 'unknown'],
    ]);
  });

  it("any helper is attributed: another profile's is never an orphan, one nobody can attribute is only listed", () => {
    const table = [
      proc(1, 0, 'init'),
      proc(400, 1, 'openclaw-agent'),
      proc(401, 1, 'openclaw-agent'),
      proc(402, 1, 'openclaw-message'),
    ];
    const whose = { 400: 'ours', 401: 'other', 402: 'unknown' } as const;
    const asked: number[] = [];
    const attribution = (pid: number) => (asked.push(pid), whose[pid as 400 | 401 | 402]);
    const found = classifyOrphans(table, rules({ attribution }));
    expect(found.map((o) => [o.pid, o.whose])).toEqual([
      [400, 'ours'],
      [402, 'unknown'],
    ]);
    // Asked only of candidates: init and non-matching processes are never read.
    expect(asked).toEqual([400, 401, 402]);
  });

  it('never the watchdog or its ancestors', () => {
    const table = [proc(1, 0, 'init'), proc(50, 1, 'openclaw-message')];
    expect(pids(table, rules({ protectedPids: new Set([50]) }))).toEqual([]);
  });
});

describe('helpers', () => {
  it('globToRegExp anchors and only knows *', () => {
    expect(globToRegExp('openclaw-*').test('openclaw-message')).toBe(true);
    expect(globToRegExp('openclaw-*').test('xopenclaw-message')).toBe(false);
    expect(globToRegExp('mcp.server').test('mcpXserver')).toBe(false);
  });

  it('unitFromCgroup names the service of v1 and v2 cgroup paths', () => {
    expect(
      unitFromCgroup(
        '0::/user.slice/user-1000.slice/user@1000.service/app.slice/openclaw-gateway.service\n',
      ),
    ).toBe('openclaw-gateway.service');
    expect(unitFromCgroup('1:name=systemd:/system.slice/cron.service\n0::/\n')).toBe(
      'cron.service',
    );
    expect(unitFromCgroup('0::/\n')).toBeNull();
  });
});

describe('an update.run successor (OpenClaw keeps the old gateway alive as the new one’s parent)', () => {
  it('the old gateway, adopted by init, holding no port, whose child is the new gateway, is never an orphan; nor is the child', () => {
    const table = [
      proc(1, 0, 'init', { name: 'init' }),
      proc(40, 1, 'bash', { name: 'bash' }),
      proc(50, 40, 'node', { name: 'node' }),
      proc(600, 1, 'openclaw-gateway', { name: 'openclaw-gatewa' }), // old pid, listener closed
      proc(601, 600, 'openclaw-gateway', { name: 'openclaw-gatewa' }), // new pid: lock + port
    ];
    const holdsPort = (pid: number) => pid === 601;
    // Whether or not the watchdog knows the new one as live (its lock may be young).
    expect(pids(table, rules({ holdsPort, livePids: new Set([601]) }))).toEqual([]);
    expect(pids(table, rules({ holdsPort }))).toEqual([]);
    expect(classifyOrphans(table, rules({ holdsPort }))).toEqual([]);
  });
});

describe('classifyOrphans: the edges of each rule', () => {
  const one = (p: Proc, r: Partial<OrphanRules> = {}) =>
    classifyOrphans([proc(1, 0, 'init', { name: 'init' }), p], rules(r)).map((o) => o.pid);

  it('uid null (not known) checks no owner; a known uid excludes other users', () => {
    const other = proc(100, 1, 'openclaw-message', { uid: 0 });
    expect(one(other, { uid: null })).toEqual([100]);
    expect(one(other)).toEqual([]);
  });

  it('named by the basename of its title (a path), the pattern matched by any one of them', () => {
    const byPath = proc(100, 1, '/usr/lib/node/openclaw-message', { name: 'node' });
    expect(one(byPath)).toEqual([100]);
    expect(one(byPath, { patterns: ['nothing-*', 'openclaw-*'] })).toEqual([100]);
    expect(one(proc(100, 1, 'openclaw.x', { name: 'node' }), { patterns: ['openclaw.x'] })).toEqual(
      [100],
    );
    expect(one(proc(100, 1, 'openclawXx', { name: 'node' }), { patterns: ['openclaw.x'] })).toEqual(
      [],
    );
  });

  it('never the watchdog, by any of its names, even one that merely starts so', () => {
    expect(one(proc(100, 1, 'x-openclaw-watchdog', { name: 'x' }), { patterns: ['*'] })).toEqual([
      100,
    ]);
    expect(
      one(proc(100, 1, '/opt/bin/openclaw-watchdog', { name: 'node' }), { patterns: ['*'] }),
    ).toEqual([]);
  });

  it('exactly minAgeSec old is old enough; a second younger is not', () => {
    const p = proc(100, 1, 'openclaw-message', { ageSec: 300 });
    expect(one(p, { minAgeSec: 300 })).toEqual([100]);
    expect(one(p, { minAgeSec: 301 })).toEqual([]);
    expect(one(p, { minAgeSec: null })).toEqual([100]);
  });

  it('adopted by init (ppid 1), by nobody (ppid 0) or by a subreaper; a live parent keeps it', () => {
    expect(one(proc(100, 0, 'openclaw-message'))).toEqual([100]);
    expect(one(proc(100, 1, 'openclaw-message'))).toEqual([100]);
    expect(one(proc(100, 77, 'openclaw-message'))).toEqual([]); // parent 77 not in the table
  });

  it('a gateway-titled one exactly graceSec old is past the grace', () => {
    const gw = (ageSec: number) =>
      proc(300, 1, 'openclaw-gateway', { name: 'openclaw-gatewa', ageSec });
    expect(one(gw(120))).toEqual([300]);
    expect(one(gw(119))).toEqual([]);
  });

  it('named by its title, or by its comm when it has no title', () => {
    const r = classifyOrphans([proc(100, 1, 'openclaw-message', { name: 'node' })], rules());
    expect(r[0]?.name).toBe('openclaw-message');
    const untitled = classifyOrphans([proc(100, 1, '', { name: 'openclaw-helper' })], rules());
    expect(untitled[0]?.name).toBe('openclaw-helper');
  });

  it('unitFromCgroup: the path after the second colon, colons in it kept', () => {
    expect(unitFromCgroup('0::/user.slice/a:b.service')).toBe('a:b.service');
    expect(unitFromCgroup('0::/system.slice/x.service/sub')).toBe('x.service');
    expect(unitFromCgroup('0::/system.slice/x.service/a/b')).toBeNull();
  });
});
