import { describe, expect, it } from 'vitest';
import { gatewayEnv, SUPERVISOR_MODE_ENV } from '../../../src/lib/restart/environment.js';

const paths = { profile: null, stateDir: '/s', openclawConfig: '/s/openclaw.json' };

describe('OPENCLAW_SUPERVISOR_MODE for the gateway the watchdog starts', () => {
  it('is not set by the watchdog: restarts stay in place, self-update stays allowed', () => {
    const env = gatewayEnv({ PATH: '/usr/bin', HOME: '/h' }, [], paths);
    expect(env[SUPERVISOR_MODE_ENV]).toBeUndefined();
  });

  it("a user's own setting passes through untouched (unlike systemd's markers, stripped)", () => {
    const env = gatewayEnv(
      { PATH: '/usr/bin', [SUPERVISOR_MODE_ENV]: 'external', INVOCATION_ID: 'x' },
      [],
      paths,
    );
    expect(env[SUPERVISOR_MODE_ENV]).toBe('external');
    expect(env.INVOCATION_ID).toBeUndefined();
  });
});
