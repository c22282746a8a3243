import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import {
  channelCheckDue,
  failingChannels,
} from '../../../../src/lib/decide/signals/channel-cadence.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';

const T = Date.parse('2026-11-26T00:00:00Z');
const settings = defaultSettings();
const asked = (checkedAt: number): State => ({
  ...freshState(),
  lastCheckAt: checkedAt,
  channels: { ...freshState().channels, checkedAt },
});

describe('failingChannels: what /readyz names that is a channel', () => {
  it('none of the server-start entries is a channel: draining, plugin reload, the state database, internal', () => {
    expect(
      failingChannels(['gateway-draining', 'plugin-reload', 'state-database', 'internal']),
    ).toEqual([]);
    expect(failingChannels(['internal', 'discord'])).toEqual(['discord']);
  });
});

describe('channelCheckDue: the clock', () => {
  it('a check at the very moment of the last gathering is not due again; a millisecond earlier (the clock went back) is', () => {
    expect(channelCheckDue(settings, asked(T), [], T)).toBe(false);
    expect(channelCheckDue(settings, asked(T), [], T - 1)).toBe(true);
  });
});
