import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { diskAlertDue, lowFilesystems, type FsFree } from '../../../src/lib/decide/disk.js';
import { freshState } from '../../../src/lib/store/state.js';
import { names, scenario } from './scenario.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const fs = (freeBytes: number, totalBytes = 100 * GiB, paths = ['/home/u/.openclaw']): FsFree => ({
  paths,
  freeBytes,
  totalBytes,
});
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
    expect(a.state.diskLowSince).not.toBeNull();
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
    expect(clear.state.diskLowSince).toBeNull();
    expect(names(s.check(120, 'healthy', { disk: { filesystems: [fs(1 * GiB)] } }).events)).toEqual(
      ['disk_low'],
    );
  });

  it('not observed (no disk figures): the incident is left as it was', () => {
    const s = scenario();
    s.check(0, 'healthy', { disk: { filesystems: [fs(1 * GiB)] } });
    expect(s.check(30, 'healthy').state.diskLowSince).not.toBeNull();
  });

  it('dir sizes are due only when a new incident would alert', () => {
    const disk = defaultSettings().disk;
    expect(diskAlertDue(disk, freshState(), [fs(1 * GiB)])).toBe(true);
    expect(diskAlertDue(disk, freshState(), [fs(50 * GiB)])).toBe(false);
    expect(diskAlertDue(disk, { ...freshState(), diskLowSince: 1 }, [fs(1 * GiB)])).toBe(false);
  });
});
