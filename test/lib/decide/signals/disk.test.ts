import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import {
  DISK_ALERT_COOLDOWN_MS,
  diskAlertDue,
  freePercent,
  lowFilesystems,
  type FsFree,
} from '../../../../src/lib/decide/signals/disk.js';
import { MAX_DISK_TRACKS } from '../../../../src/lib/store/state-validate.js';
import { freshState } from '../../../../src/lib/store/state.js';
import { names, scenario, sec } from '../scenario.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const fs = (
  freeBytes: number,
  totalBytes = 100 * GiB,
  paths = ['/home/u/.openclaw'],
  dev = 2049,
  tmpfs = false,
): FsFree => ({ paths, freeBytes, totalBytes, dev, tmpfs });
const open = (state: { diskLow: { since: number | null }[] }) =>
  state.diskLow.some((d) => d.since !== null);
const largest = [{ path: '/home/u/.openclaw/agents', bytes: 3 * GiB, truncated: true }];

describe('decide: disk', () => {
  it('below 5 % or below 1024 MiB (defaults) is low; either threshold can be turned off', () => {
    const disk = defaultSettings().disk;
    expect(disk).toEqual({ warnFreePercent: 5, warnFreeMB: 1024 });
    expect(lowFilesystems(disk, [fs(6 * GiB)])).toEqual([]);
    expect(lowFilesystems(disk, [fs(4.9 * GiB)])).toHaveLength(1); // 4.9 %
    expect(lowFilesystems(disk, [fs(1000 * MiB, 10 * GiB)])).toHaveLength(1); // < 1024 MiB
    expect(lowFilesystems({ ...disk, warnFreeMB: null }, [fs(1000 * MiB, 10 * GiB)])).toEqual([]);
    expect(lowFilesystems({ warnFreePercent: null, warnFreeMB: null }, [fs(0)])).toEqual([]);
  });

  it('disk_low once per incident, on any verdict, with the filesystems and the largest dirs', () => {
    const s = scenario();
    const low = { filesystems: [fs(2 * GiB, 100 * GiB, ['/s', '/tmp/openclaw'])], largest };
    const a = s.check(0, 'healthy', { disk: low });
    expect(names(a.events)).toEqual(['disk_low']);
    expect(a.events[0]).toEqual({
      level: 'warn',
      event: 'disk_low',
      filesystems: [
        {
          paths: ['/s', '/tmp/openclaw'],
          freeBytes: 2 * GiB,
          totalBytes: 100 * GiB,
          freePercent: 2,
        },
      ],
      largest,
    });
    expect(open(a.state)).toBe(true);
    expect(a.exitCode).toBe(0); // alert only
    expect(a.actions.map((x) => x.type)).toEqual(['reap-orphans']); // nothing else
    expect(s.check(30, 'refused', { disk: low }).events.map((e) => e.event)).not.toContain(
      'disk_low',
    );
    expect(names(s.check(60, 'healthy', { disk: low }).events)).toEqual(['gateway_recovered']);
  });

  it('the incident ends only 10 % above the thresholds (no flapping), then a new one alerts again', () => {
    const s = scenario();
    s.check(0, 'healthy', { disk: { filesystems: [fs(4 * GiB)] } });
    // 5.2 %: above 5 %, below 5.5 %: still the same incident.
    expect(
      names(s.check(30, 'healthy', { disk: { filesystems: [fs(5.2 * GiB)] } }).events),
    ).toEqual([]);
    expect(names(s.check(60, 'healthy', { disk: { filesystems: [fs(4 * GiB)] } }).events)).toEqual(
      [],
    );
    const clear = s.check(90, 'healthy', { disk: { filesystems: [fs(6 * GiB)] } });
    expect(open(clear.state)).toBe(false);
    // A new incident within the cooldown is followed, not said; past it, said again.
    expect(names(s.check(120, 'healthy', { disk: { filesystems: [fs(1 * GiB)] } }).events)).toEqual(
      [],
    );
    expect(open(s.state)).toBe(true);
    s.check(150, 'healthy', { disk: { filesystems: [fs(6 * GiB)] } });
    const later = DISK_ALERT_COOLDOWN_MS / 1000 + 1;
    expect(
      names(s.check(later, 'healthy', { disk: { filesystems: [fs(1 * GiB)] } }).events),
    ).toEqual(['disk_low']);
  });

  it('not observed (no disk figures): the incident is left as it was', () => {
    const s = scenario();
    s.check(0, 'healthy', { disk: { filesystems: [fs(1 * GiB)] } });
    expect(open(s.check(30, 'healthy').state)).toBe(true);
  });

  it('dir sizes are due only when a new incident would alert', () => {
    const disk = defaultSettings().disk;
    expect(diskAlertDue(disk, freshState(), [fs(1 * GiB)], 0)).toBe(true);
    expect(diskAlertDue(disk, freshState(), [fs(50 * GiB)], 0)).toBe(false);
    const openOne = { ...freshState(), diskLow: [{ dev: 2049, since: 1, alertedAt: 1 }] };
    expect(diskAlertDue(disk, openOne, [fs(1 * GiB)], 2)).toBe(false);
    // Another filesystem's incident does not hide this one's.
    expect(diskAlertDue(disk, openOne, [fs(1 * GiB, 100 * GiB, ['/s'], 77)], 2)).toBe(true);
  });

  it('one incident per filesystem: a log dir low for good does not hide the state dir falling low', () => {
    const s = scenario();
    const tiny = fs(2 * MiB, 8 * MiB, ['/tmp/openclaw'], 40, true); // 25 % free, 2 MiB
    const state = (free: number) => fs(free, 100 * GiB, ['/s'], 2049);
    const first = s.check(0, 'healthy', { disk: { filesystems: [state(50 * GiB), tiny] } });
    expect(names(first.events)).toEqual([]); // a tmpfs: the MiB threshold does not apply
    const pct = fs(0.2 * MiB, 8 * MiB, ['/tmp/openclaw'], 40, true); // 2.5 %
    const a = s.check(30, 'healthy', { disk: { filesystems: [state(50 * GiB), pct] } });
    expect(names(a.events)).toEqual(['disk_low']);
    const b = s.check(60, 'healthy', { disk: { filesystems: [state(4 * MiB), pct] } });
    expect(names(b.events)).toEqual(['disk_low']);
    expect(b.events[0]).toMatchObject({ filesystems: [{ paths: ['/s'], freeBytes: 4 * MiB }] });
    expect(b.state.diskLow.map((d) => d.dev).sort()).toEqual([2049, 40].sort());
    expect(s.check(90, 'healthy', { disk: { filesystems: [state(4 * MiB), pct] } }).events).toEqual(
      [],
    );
  });

  it('five fill/free cycles of one filesystem within the cooldown: one disk_low', () => {
    const s = scenario();
    let said = 0;
    for (let i = 0; i < 5; i++) {
      said += names(
        s.check(i * 600, 'healthy', { disk: { filesystems: [fs(1 * GiB)] } }).events,
      ).length;
      s.check(i * 600 + 300, 'healthy', { disk: { filesystems: [fs(50 * GiB)] } });
    }
    expect(said).toBe(1);
  });

  it('a filesystem with no size (ramfs) is never low; a tmpfs only by percent', () => {
    const disk = defaultSettings().disk;
    expect(lowFilesystems(disk, [fs(0, 0)])).toEqual([]);
    expect(lowFilesystems(disk, [fs(100 * MiB, 1 * GiB, ['/tmp/openclaw'], 40, true)])).toEqual([]);
    expect(lowFilesystems(disk, [fs(40 * MiB, 1 * GiB, ['/tmp/openclaw'], 40, true)])).toHaveLength(
      1,
    );
  });
});

describe('disk: boundaries, cooldown and the track cap', () => {
  const at = (s: ReturnType<typeof scenario>, t: number, ...filesystems: FsFree[]) =>
    s.check(t, 'healthy', { disk: { filesystems } });

  it('exactly at a threshold is not low; a byte below is (disk: threshold boundary)', () => {
    const disk = defaultSettings().disk;
    expect(lowFilesystems(disk, [fs(5 * GiB)])).toEqual([]); // exactly 5 %
    expect(lowFilesystems(disk, [fs(5 * GiB - 1)])).toHaveLength(1);
    expect(lowFilesystems(disk, [fs(1024 * MiB, 10 * GiB)])).toEqual([]); // exactly 1024 MiB, 10 %
    expect(lowFilesystems(disk, [fs(1024 * MiB - 1, 10 * GiB)])).toHaveLength(1);
    expect(lowFilesystems({ ...disk, warnFreePercent: null }, [fs(4 * GiB)])).toEqual([]);
    expect(lowFilesystems({ ...disk, warnFreePercent: null }, [fs(1000 * MiB)])).toHaveLength(1);
  });

  it('an open incident ends at exactly 10 % above the thresholds, not a byte below (disk: hysteresis boundary)', () => {
    const s = scenario();
    at(s, 0, fs(1 * GiB));
    at(s, 30, fs(5.5 * GiB - 1)); // 5.5 % less a byte: still low by 1.1 x 5 %
    expect(open(s.state)).toBe(true);
    at(s, 60, fs(5.5 * GiB));
    expect(open(s.state)).toBe(false);
    // By MiB: 1.1 x 1024 MiB, on a disk where the percentage is not low.
    const m = scenario();
    at(m, 0, fs(1000 * MiB, 10 * GiB));
    at(m, 30, fs(1.1 * 1024 * MiB - 1, 10 * GiB));
    expect(open(m.state)).toBe(true);
    at(m, 60, fs(1.1 * 1024 * MiB, 10 * GiB));
    expect(open(m.state)).toBe(false);
  });

  it('a new incident alerts again at exactly the cooldown after the last alert, not a second before (disk: cooldown boundary)', () => {
    const cooldown = DISK_ALERT_COOLDOWN_MS / 1000;
    const s = scenario();
    expect(names(at(s, 0, fs(1 * GiB)).events)).toEqual(['disk_low']);
    at(s, 30, fs(50 * GiB));
    expect(names(at(s, cooldown - 1, fs(1 * GiB)).events)).toEqual([]);
    expect(s.state.diskLow).toEqual([
      { dev: 2049, since: expect.any(Number), alertedAt: s.state.diskLow[0]!.alertedAt },
    ]);
    // The alert time is kept from the first: the incident not said does not restart the cooldown.
    at(s, cooldown, fs(50 * GiB));
    expect(names(at(s, cooldown + 1, fs(1 * GiB)).events)).toEqual(['disk_low']);
    expect(
      diskAlertDue(
        defaultSettings().disk,
        { ...freshState(), diskLow: [{ dev: 2049, since: null, alertedAt: 0 }] },
        [fs(1 * GiB)],
        DISK_ALERT_COOLDOWN_MS,
      ),
    ).toBe(true);
    expect(
      diskAlertDue(
        defaultSettings().disk,
        { ...freshState(), diskLow: [{ dev: 2049, since: null, alertedAt: 0 }] },
        [fs(1 * GiB)],
        DISK_ALERT_COOLDOWN_MS - 1,
      ),
    ).toBe(false);
  });

  it('a closed filesystem is kept only while its cooldown runs, then forgotten', () => {
    const cooldown = DISK_ALERT_COOLDOWN_MS / 1000;
    const s = scenario();
    at(s, 0, fs(1 * GiB));
    at(s, 30, fs(50 * GiB));
    expect(s.state.diskLow).toEqual([
      { dev: 2049, since: null, alertedAt: s.state.diskLow[0]!.alertedAt },
    ]);
    at(s, cooldown - 1, fs(50 * GiB));
    expect(s.state.diskLow).toHaveLength(1);
    at(s, cooldown, fs(50 * GiB));
    expect(s.state.diskLow).toEqual([]);
    // Never low, never alerted: nothing is kept.
    expect(at(scenario(), 0, fs(50 * GiB)).state.diskLow).toEqual([]);
  });

  it('a filesystem no longer seen closes its incident and keeps its cooldown', () => {
    const s = scenario();
    at(s, 0, fs(1 * GiB, 100 * GiB, ['/a'], 1));
    const gone = at(s, 30, fs(50 * GiB, 100 * GiB, ['/b'], 2));
    expect(gone.state.diskLow).toEqual([
      { dev: 1, since: null, alertedAt: gone.state.diskLow[0]!.alertedAt },
    ]);
    // Back and low again within the cooldown: followed, not said.
    const back = at(s, 60, fs(1 * GiB, 100 * GiB, ['/a'], 1));
    expect(back.events).toEqual([]);
    expect(open(back.state)).toBe(true);
  });

  it(`at most ${MAX_DISK_TRACKS} filesystems are followed, open incidents first (disk: track cap)`, () => {
    expect(MAX_DISK_TRACKS).toBe(2);
    const s = scenario();
    // Two alerted and closed again (cooldown running), then a third falls low.
    at(s, 0, fs(1 * GiB, 100 * GiB, ['/a'], 1), fs(1 * GiB, 100 * GiB, ['/b'], 2));
    at(s, 30, fs(50 * GiB, 100 * GiB, ['/a'], 1), fs(50 * GiB, 100 * GiB, ['/b'], 2));
    const third = at(
      s,
      60,
      fs(50 * GiB, 100 * GiB, ['/a'], 1),
      fs(50 * GiB, 100 * GiB, ['/b'], 2),
      fs(1 * GiB, 100 * GiB, ['/c'], 3),
    );
    expect(names(third.events)).toEqual(['disk_low']);
    expect(third.state.diskLow).toHaveLength(2);
    expect(third.state.diskLow[0]).toMatchObject({ dev: 3, since: expect.any(Number) });
  });

  it('a filesystem low for good stays open across checks without a second alert and keeps its start', () => {
    const s = scenario();
    const first = at(s, 0, fs(1 * GiB));
    const since = first.state.diskLow[0]!.since;
    for (const t of [30, 60, 90]) expect(at(s, t, fs(1 * GiB)).events).toEqual([]);
    expect(s.state.diskLow).toEqual([{ dev: 2049, since, alertedAt: since }]);
  });

  it('free percent is rounded to a tenth; a filesystem with no size shows 100 %', () => {
    const d = at(scenario(), 0, fs(1.2345 * GiB));
    expect(d.events[0]).toMatchObject({ filesystems: [{ freePercent: 1.2 }] });
    expect(d.events[0]).toMatchObject({ largest: [] });
  });
});

describe('disk: long incidents, several filesystems, and which cooldowns are kept', () => {
  const at = (s: ReturnType<typeof scenario>, t: number, ...filesystems: FsFree[]) =>
    s.check(t, 'healthy', { disk: { filesystems } });
  const cooldown = DISK_ALERT_COOLDOWN_MS / 1000;

  it('a filesystem low for longer than the cooldown is still one incident: no second disk_low', () => {
    const s = scenario();
    expect(names(at(s, 0, fs(1 * GiB)).events)).toEqual(['disk_low']);
    for (const t of [cooldown, cooldown + 30, cooldown + 60, 2 * cooldown + 30])
      expect(names(at(s, t, fs(1 * GiB)).events)).toEqual([]);
    expect(s.state.diskLow).toEqual([{ dev: 2049, since: sec(0), alertedAt: sec(0) }]);
  });

  it('dir sizes are not measured again for an incident still open, however long it has been', () => {
    const openSince0 = { ...freshState(), diskLow: [{ dev: 2049, since: 0, alertedAt: 0 }] };
    const disk = defaultSettings().disk;
    expect(diskAlertDue(disk, openSince0, [fs(1 * GiB)], DISK_ALERT_COOLDOWN_MS + 1)).toBe(false);
  });

  it('dir sizes are due when any one of the filesystems falls low, not only when all do', () => {
    const disk = defaultSettings().disk;
    const fine = fs(50 * GiB, 100 * GiB, ['/a'], 1);
    const low = fs(1 * GiB, 100 * GiB, ['/b'], 2);
    expect(diskAlertDue(disk, freshState(), [fine, low], sec(0))).toBe(true);
    expect(diskAlertDue(disk, freshState(), [fine], sec(0))).toBe(false);
  });

  it('a filesystem no longer seen keeps its cooldown beside one still seen, each followed once', () => {
    const s = scenario();
    at(s, 0, fs(1 * GiB, 100 * GiB, ['/a'], 1), fs(1 * GiB, 100 * GiB, ['/b'], 2));
    at(s, 30, fs(50 * GiB, 100 * GiB, ['/a'], 1), fs(50 * GiB, 100 * GiB, ['/b'], 2));
    // /b's filesystem is gone (the log dir moved); a fine new one is seen instead.
    at(s, 60, fs(50 * GiB, 100 * GiB, ['/a'], 1), fs(50 * GiB, 100 * GiB, ['/c'], 3));
    expect(s.state.diskLow.map((t) => [t.dev, t.since])).toEqual([
      [1, null],
      [2, null],
    ]);
  });

  it('at the cap, a closed filesystem still seen keeps its cooldown before one no longer seen: it is not alerted twice', () => {
    const s = scenario();
    at(s, 0, fs(1 * GiB, 100 * GiB, ['/a'], 1), fs(1 * GiB, 100 * GiB, ['/b'], 2));
    at(s, 30, fs(50 * GiB, 100 * GiB, ['/a'], 1), fs(50 * GiB, 100 * GiB, ['/b'], 2));
    // /a is no longer seen; /b is fine; a third filesystem falls low: one place left besides it.
    const third = at(s, 60, fs(50 * GiB, 100 * GiB, ['/b'], 2), fs(1 * GiB, 100 * GiB, ['/c'], 3));
    expect(names(third.events)).toEqual(['disk_low']);
    expect(s.state.diskLow.map((t) => t.dev)).toEqual([3, 2]);
    // /b low again within its cooldown: followed, not said again.
    const again = at(s, 90, fs(1 * GiB, 100 * GiB, ['/b'], 2), fs(1 * GiB, 100 * GiB, ['/c'], 3));
    expect(again.events).toEqual([]);
  });

  it('free percent of a filesystem with no size (ramfs) is 100 %, not a division by zero', () => {
    expect(freePercent(fs(0, 0))).toBe(100);
    expect(freePercent(fs(5, 0))).toBe(100);
    expect(freePercent(fs(1, 3))).toBe(33.3);
  });

  it('a threshold turned off counts nothing low, the other still does (MiB off, percent off)', () => {
    const tiny = fs(1, 100 * GiB); // 1 byte free: below both defaults
    expect(lowFilesystems({ warnFreePercent: 5, warnFreeMB: null }, [tiny])).toHaveLength(1);
    expect(lowFilesystems({ warnFreePercent: null, warnFreeMB: 1024 }, [tiny])).toHaveLength(1);
    expect(lowFilesystems({ warnFreePercent: null, warnFreeMB: null }, [tiny])).toEqual([]);
  });
});
