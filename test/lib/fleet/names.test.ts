import { describe, expect, it } from 'vitest';
import { derivedName, gatewayName, uniqueNames } from '../../../src/lib/fleet/names.js';

const home = '/home/u';

describe('gateway names', () => {
  it('a profile is its name; ~/.openclaw (and the legacy ~/.clawdbot) is default', () => {
    expect(gatewayName({ home, profile: 'work', stateDir: '/home/u/.openclaw-work' })).toBe('work');
    expect(gatewayName({ home, profile: null, stateDir: '/home/u/.openclaw' })).toBe('default');
    expect(gatewayName({ home, profile: null, stateDir: '/home/u/.clawdbot' })).toBe('default');
    // --state-dir ~/.openclaw-x without --profile is the same gateway as --profile x
    expect(gatewayName({ home, profile: null, stateDir: '/home/u/.openclaw-x' })).toBe('x');
  });

  it('another state dir: its last meaningful part and a hash of the whole path, stable', () => {
    const a = gatewayName({ home, profile: null, stateDir: '/srv/gw/eu1/.openclaw' });
    expect(a).toMatch(/^eu1-[0-9a-f]{6}$/);
    expect(gatewayName({ home, profile: null, stateDir: '/srv/gw/eu1/.openclaw' })).toBe(a);
    // same last part elsewhere: another name
    expect(gatewayName({ home, profile: null, stateDir: '/srv/other/eu1/.openclaw' })).not.toBe(a);
    // a profile whose state dir was moved elsewhere is named by the dir, not the profile
    expect(gatewayName({ home, profile: 'w', stateDir: '/data/oc-w' })).toMatch(
      /^oc-w-[0-9a-f]{6}$/,
    );
  });

  it('only label-safe characters, whatever the path holds', () => {
    for (const dir of ['/x/"quoted"\n/dir', '/x/Ünïcode dir', '/', '/x/.openclaw-', '/.../...'])
      expect(derivedName(dir), dir).toMatch(/^[a-z0-9_-]{1,40}-[0-9a-f]{6}$/);
  });

  it('unique across the fleet: colliding names become derived names, a unique one is kept', () => {
    const names = uniqueNames([
      { gateway: 'default', stateDir: '/home/a/.openclaw' },
      { gateway: 'work', stateDir: '/home/u/.openclaw-work' },
      { gateway: 'default', stateDir: '/home/b/.openclaw' },
    ]);
    expect(names[0]).toMatch(/^a-[0-9a-f]{6}$/);
    expect(names[1]).toBe('work');
    expect(names[2]).toMatch(/^b-[0-9a-f]{6}$/);
    expect(names[0]).toBe(derivedName('/home/a/.openclaw'));
    // two blocks of one state dir: numbered in crontab order
    const same = uniqueNames([
      { gateway: 'default', stateDir: '/home/u/.openclaw' },
      { gateway: 'default', stateDir: '/home/u/.openclaw' },
    ]);
    expect(new Set(same).size).toBe(2);
    expect(same[1]).toBe(`${same[0]}-2`);
  });
});
