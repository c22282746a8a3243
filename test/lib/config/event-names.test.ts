import { describe, expect, it } from 'vitest';
import { checkEventNames } from '../../../src/lib/config/event-names.js';

const FILE = '/home/u/.openclaw/watchdog.json';
const message = (v: unknown) => {
  try {
    checkEventNames(v, FILE, 'notify.webhooks[0].events');
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe("a channel's events list", () => {
  it('absent or null: the default alert set (null)', () => {
    expect(checkEventNames(undefined, FILE, 'p')).toBeNull();
    expect(checkEventNames(null, FILE, 'p')).toBeNull();
  });

  it('known names are kept as given', () => {
    expect(checkEventNames(['gateway_down', 'disk_low'], FILE, 'p')).toEqual([
      'gateway_down',
      'disk_low',
    ]);
  });

  it('a misspelt name, first or later, is a config mistake naming its index and the value', () => {
    expect(message(['gateway_dwn'])).toBe(
      `${FILE}: notify.webhooks[0].events[0]: unknown event name "gateway_dwn" (see the event list in the README's Event log)`,
    );
    expect(message(['gateway_down', 'disk-low'])).toContain(
      'events[1]: unknown event name "disk-low"',
    );
  });
});
