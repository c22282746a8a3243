import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/lib/config/load.js';
import { defaultSettings } from '../../../src/lib/config/schema.js';
import { probeOptions, wsSession } from '../../../src/lib/probe/index.js';

const base = { host: '127.0.0.1', port: 1, timeoutMs: 100 };

describe('wsSession: what the WebSocket step does after the challenge', () => {
  it('connects with the token, or without one for auth mode none', () => {
    expect(wsSession({ ...base, auth: { token: 't', mode: 'token' } })).toMatchObject({
      token: 't',
      deep: false,
    });
    expect(wsSession({ ...base, auth: { token: 't', mode: null } })).toMatchObject({ token: 't' });
    expect(wsSession({ ...base, auth: { token: null, mode: 'none' } })).toMatchObject({
      token: null,
      deep: false,
    });
  });

  it('closes after the challenge when it cannot connect: no token, or a password / proxy gateway', () => {
    expect(wsSession(base)).toBeUndefined();
    expect(wsSession({ ...base, auth: { token: null, mode: 'token' } })).toBeUndefined();
    expect(wsSession({ ...base, auth: { token: 't', mode: 'password' } })).toBeUndefined();
    expect(wsSession({ ...base, auth: { token: 't', mode: 'trusted-proxy' } })).toBeUndefined();
  });

  it('--deep connects and calls health, with the token it was given', () => {
    expect(wsSession({ ...base, deep: { token: 'd', version: '1' } })).toEqual({
      token: 'd',
      version: '1',
      deep: true,
    });
  });
});

describe('probeOptions: how every command probes its gateway', () => {
  const settings = defaultSettings();
  settings.probe.timeoutMs = 1234;
  const config = {
    host: '::1',
    port: 20001,
    token: 'sekret',
    authMode: 'token',
    settings,
  } as Config;

  it("the configured host, port, budget and the gateway's auth (a probe the gateway does not log)", () => {
    const options = probeOptions(config);
    expect(options).toEqual({
      host: '::1',
      port: 20001,
      timeoutMs: 1234,
      auth: { token: 'sekret', mode: 'token' },
    });
    expect(wsSession(options)).toMatchObject({ token: 'sekret', deep: false });
  });

  it('overrides win (probe --port, --timeout, --deep)', () => {
    const deep = { token: 'sekret', version: '1' };
    expect(probeOptions(config, { port: 1, timeoutMs: 100, deep })).toMatchObject({
      host: '::1',
      port: 1,
      timeoutMs: 100,
      deep,
      auth: { token: 'sekret', mode: 'token' },
    });
  });
});
