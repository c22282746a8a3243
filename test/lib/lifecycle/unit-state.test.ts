import { describe, expect, it } from 'vitest';
import { parseUnitShow, unitStoppedAt } from '../../../src/lib/lifecycle/unit-state.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const MONO_NOW = 9_000_000_000n; // µs since boot

describe('systemd unit state', () => {
  it('inactive with Result=success, entered inactive at a known time: stopped then', () => {
    const unit = parseUnitShow(
      'ActiveState=inactive\nResult=success\nInactiveEnterTimestampMonotonic=8940000000\n',
    );
    expect(unit).toEqual({
      activeState: 'inactive',
      result: 'success',
      inactiveEnterMonoUs: 8_940_000_000n,
    });
    expect(unitStoppedAt(unit, NOW, MONO_NOW)).toBe(NOW - 60_000);
  });

  it('a crash (auto-restart, failed), a unit never started since boot, or one running: no stop', () => {
    const at = (text: string) => unitStoppedAt(parseUnitShow(text), NOW, MONO_NOW);
    expect(
      at('ActiveState=activating\nResult=exit-code\nInactiveEnterTimestampMonotonic=1'),
    ).toBeNull();
    expect(at('ActiveState=failed\nResult=signal\nInactiveEnterTimestampMonotonic=1')).toBeNull();
    expect(
      at('ActiveState=inactive\nResult=success\nInactiveEnterTimestampMonotonic=0'),
    ).toBeNull();
    expect(at('ActiveState=inactive\nResult=success\nInactiveEnterTimestampMonotonic=')).toBeNull();
    expect(at('ActiveState=active\nResult=success\nInactiveEnterTimestampMonotonic=5')).toBeNull();
  });
});
