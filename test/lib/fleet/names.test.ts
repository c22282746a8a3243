import { describe, expect, it } from 'vitest';
import { derivedName, gatewayName } from '../../../src/lib/fleet/names.js';

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
});
