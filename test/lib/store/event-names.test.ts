import { describe, expect, it } from 'vitest';
import { EVENT_MEANING } from '../../../src/lib/store/event-docs.js';
import { knownEvent } from '../../../src/lib/store/event-names.js';

// knownEvent decides which queued alerts the outbox keeps (notify/run.ts) and which names a
// channel's `events` list may hold (config/event-names.ts): a name missing from the list drops that
// event's alerts from the outbox and rejects a correct config.
describe('event names this build knows', () => {
  it('every event the build describes is known, so its queued alerts are kept', () => {
    const all = Object.keys(EVENT_MEANING);
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter((name) => !knownEvent(name))).toEqual([]);
  });

  it('a name this build does not have is unknown (another version, a typo, empty)', () => {
    for (const name of ['gateway_exploded', 'Gateway_down', 'gateway_down ', '', 'toString'])
      expect(knownEvent(name)).toBe(false);
  });
});
