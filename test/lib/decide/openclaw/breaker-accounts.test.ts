import { describe, expect, it } from 'vitest';
import type { ChannelAccount } from '../../../../src/lib/channels/types.js';
import { classifyAccount } from '../../../../src/lib/decide/signals/channel-accounts.js';
import { names, scenario, T0 } from '../scenario.js';

const GW = { pid: 4242, startTicks: 777 };
/** A Telegram account as OpenClaw 2026.9.6 shows it in safe mode (§11.1, measured). */
const suppressed = (account: string): ChannelAccount => ({
  channel: 'telegram',
  account,
  enabled: true,
  managed: true,
  running: false,
  connected: false,
  lifecycle: 'stopped',
  healthState: 'not-running',
  restartPending: false,
  reconnectAttempts: 0,
  lastError:
    'gateway restart-loop breaker tripped: 3 unclean boot(s) within 300000ms; suppressing channel/provider account auto-start. Inspect the stability bundle and fix the startup crash before restarting the service. Start a channel manually with: openclaw gateway call channels.start --params \'{"channel":"<id>"}\'',
  lastStartAt: null,
  lastTransportActivityAt: null,
  fix: null,
});

describe('the channel rule and breaker-stopped accounts', () => {
  it('is no stop by the user: `suppressed`, not `skip`', () => {
    expect(classifyAccount(suppressed('a'), T0, 600)).toEqual({ kind: 'suppressed' });
    // The same account stopped by the user (channels.stop) has no breaker error: skipped.
    expect(classifyAccount({ ...suppressed('a'), lastError: null }, T0, 600)).toEqual({
      kind: 'skip',
    });
  });

  it('is never restarted one by one, nor alerted per account; followed as not up', () => {
    const s = scenario();
    const seen = {
      channels: { ok: true as const, accounts: [suppressed('a'), suppressed('b')] },
      liveGateway: GW,
    };
    for (const at of [0, 700, 1400]) {
      const d = s.check(at, 'healthy', seen);
      expect(d.actions.filter((a) => a.type !== 'reap-orphans')).toEqual([]);
      expect(names(d.events)).toEqual([]);
    }
    expect(s.state.channels.accounts.map((t) => [t.account, t.up, t.step])).toEqual([
      ['a', false, 0],
      ['b', false, 0],
    ]);
    // Recovered by OpenClaw: up again, no channel_recovered (no channel_down was said).
    const up = { ...suppressed('a'), running: true, connected: true, lifecycle: 'ready' };
    const back = s.check(1500, 'healthy', {
      channels: { ok: true, accounts: [{ ...up, healthState: null, lastError: null }] },
      liveGateway: GW,
    });
    expect(names(back.events)).toEqual([]);
  });
});
