import { describe, expect, it } from 'vitest';
import { reminder, withReminder } from '../../../../src/lib/decide/liveness/reminder.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';
import { sec } from '../scenario.js';

const open: State = {
  ...freshState(),
  incident: { kind: 'hung', since: sec(0) },
  orphansReapedTotal: 7,
};

describe('the incident reminder', () => {
  it('not due yet: nothing said, the state kept, its clock starting at the incident', () => {
    const r = reminder(open, sec(100), 300);
    expect(r.event).toBeNull();
    expect(r.state).toEqual({ ...open, lastAlertAt: sec(0) });
  });

  it('due at exactly remindAfterSec: a warning with how long the incident has lasted', () => {
    const r = reminder(open, sec(300), 300);
    expect(r.event).toEqual({
      level: 'warn',
      event: 'incident_reminder',
      kind: 'hung',
      sinceSec: 300,
    });
    expect(r.state.lastAlertAt).toBe(sec(300));
  });

  it('folded into a run: dated only when a time is given', () => {
    const run = { state: open, events: [] };
    const plain = withReminder(run, sec(300), 300);
    expect(plain.events).toHaveLength(1);
    expect('at' in plain.events[0]!).toBe(false);
    const dated = withReminder(run, sec(300), 300, sec(299));
    expect(dated.events[0]).toMatchObject({ event: 'incident_reminder', at: sec(299) });
  });
});
