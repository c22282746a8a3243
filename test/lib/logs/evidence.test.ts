import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/lib/config/load.js';
import { gatewayEvidence, namesOtherPort, withEvidence } from '../../../src/lib/logs/evidence.js';
import { localDate } from '../../../src/lib/logs/openclaw-log.js';
import type { WatchdogEvent } from '../../../src/lib/store/event-types.js';
import { freshState, type State } from '../../../src/lib/store/state.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

const TOKEN = 'gw-token-Zq9xY7';

/** A home whose openclaw.json sends OpenClaw's file log to `<home>/oc-logs/openclaw-<date>.log`. */
function setup() {
  const home = tempDir();
  const stateDir = join(home, '.openclaw');
  mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
  const logging = { file: '~/oc-logs/openclaw-YYYY-MM-DD.log' };
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    JSON.stringify({ gateway: { auth: { token: TOKEN } }, logging }),
  );
  mkdirSync(join(home, 'oc-logs'));
  const config = loadConfig({}, { HOME: home });
  const now = Date.now();
  const ocLog = join(home, 'oc-logs', `openclaw-${localDate(new Date(now))}.log`);
  const gatewayLog = join(stateDir, 'watchdog', 'gateway.log');
  return { config, now, ocLog, gatewayLog };
}

const spawned = (at: number, method = 'command'): State => ({
  ...freshState(),
  spawned: { pid: 123, startTicks: 1, at, method },
});

describe('gatewayEvidence', () => {
  it("from gateway.log when the watchdog started the gateway: its last lines, the gateway's token redacted", () => {
    const { config, now, gatewayLog, ocLog } = setup();
    writeFileSync(ocLog, '{"message":"from the shared log"}\n');
    writeFileSync(gatewayLog, `boot\nconnecting with token ${TOKEN}\nFATAL out of memory\n`);
    const got = gatewayEvidence(config, spawned(now - 60_000), now)!;
    expect(got.from).toBe(gatewayLog);
    expect(got.lines).toEqual(['boot', 'connecting with token <redacted>', 'FATAL out of memory']);
  });

  it("else from OpenClaw's own file log of the day (logging.file honoured), JSON lines rendered", () => {
    const { config, now, gatewayLog, ocLog } = setup();
    writeFileSync(gatewayLog, 'an older gateway, started by systemd since\n');
    const line = (message: string) =>
      JSON.stringify({
        _meta: { logLevelName: 'ERROR', name: '{"subsystem":"gateway"}' },
        time: 'T',
        message,
      });
    writeFileSync(ocLog, `${line('ready')}\n${line(`auth failed token=${TOKEN}`)}\n`);
    for (const state of [freshState(), spawned(now - 60_000, 'systemd')]) {
      const got = gatewayEvidence(config, state, now)!;
      expect(got.from).toBe(ocLog);
      expect(got.lines).toEqual([
        'T ERROR [gateway] ready',
        'T ERROR [gateway] auth failed token=<redacted>',
      ]);
    }
  });

  it("OpenClaw's log is shared: only its lines of this stretch count (10 min, or since the last healthy check)", () => {
    const { config, now, ocLog } = setup();
    const at = (ms: number, message: string) =>
      JSON.stringify({ time: new Date(ms).toISOString(), message });
    const lines = [
      at(now - 3 * 3600_000, 'three hours ago'),
      at(now - 20 * 60_000, 'twenty minutes ago'),
      at(now - 60_000, 'a minute ago'),
    ];
    writeFileSync(ocLog, `${lines.join('\n')}\n`);
    const texts = (state: State) =>
      gatewayEvidence(config, state, now)?.lines.map((l) => l.slice(25));
    expect(texts(freshState())).toEqual(['a minute ago']);
    const lastHealthyAt = now - 30 * 60_000;
    expect(texts({ ...freshState(), lastHealthyAt })).toEqual([
      'twenty minutes ago',
      'a minute ago',
    ]);
    writeFileSync(ocLog, `${lines[0]}\n`);
    expect(gatewayEvidence(config, freshState(), now)).toBeNull();
  });

  it("OpenClaw's shared log: lines naming another port are left out; the lines come with a note", () => {
    const { config, now, ocLog } = setup();
    const at = (message: string) =>
      JSON.stringify({ time: new Date(now - 5000).toISOString(), message });
    const lines = [
      at(`listening on ws://127.0.0.1:${config.port}`),
      at('listening on ws://127.0.0.1:21549'),
      at('http server listening (port 21549)'),
      at('run failed for session s1: quota exceeded'),
    ];
    writeFileSync(ocLog, `${lines.join('\n')}\n`);
    const alone = gatewayEvidence(config, freshState(), now, {
      port: config.port,
      otherGateways: 0,
    })!;
    expect(alone.lines.map((l) => l.slice(25))).toEqual([
      `listening on ws://127.0.0.1:${config.port}`,
      'run failed for session s1: quota exceeded',
    ]);
    expect(alone.note).toMatch(/shared by every gateway of this user/);
    expect(alone.note).not.toMatch(/running/);
    const crowded = gatewayEvidence(config, freshState(), now, {
      port: config.port,
      otherGateways: 2,
    })!;
    expect(crowded.note).toMatch(/2 other gateways are running, these lines may be theirs/);
    const events = withEvidence(
      [{ level: 'error', event: 'gateway_down', reason: 'x' }],
      () => crowded,
    );
    expect(events[0]).toMatchObject({ evidenceFrom: ocLog, evidenceNote: crowded.note });
  });

  it('namesOtherPort: URLs (IPv4, IPv6, names) and `port N`; our own port or none is kept', () => {
    expect(namesOtherPort('listening on ws://127.0.0.1:18789', 18789)).toBe(false);
    expect(namesOtherPort('listening on ws://127.0.0.1:21549', 18789)).toBe(true);
    expect(namesOtherPort('listening on ws://[::1]:21549 (PID 7)', 18789)).toBe(true);
    expect(namesOtherPort('listening on ws://[::1]:18789', 18789)).toBe(false);
    expect(namesOtherPort('probe http://localhost:21549/healthz', 18789)).toBe(true);
    expect(namesOtherPort('bound port=21549', 18789)).toBe(true);
    expect(namesOtherPort('2026-11-26T04:09:58.679+00:00 ready', 18789)).toBe(false);
    expect(namesOtherPort('uncaught: ECONNRESET', 18789)).toBe(false);
  });

  it("namesOtherPort: OpenClaw's `host=…:N` and the local end of `peer=…->…:N` (not the client's port)", () => {
    const ws = (host: string, peer: string) =>
      `[ws] closed before connect conn=ab12 peer=${peer} remote=127.0.0.1 fwd=n/a origin=n/a host=${host} ua=n/a code=1005`;
    expect(namesOtherPort(ws('127.0.0.1:18804', '127.0.0.1:53120->127.0.0.1:18804'), 18789)).toBe(
      true,
    );
    expect(namesOtherPort('invalid handshake host=127.0.0.1:18804', 18789)).toBe(true);
    expect(namesOtherPort('peer=127.0.0.1:53120->[::1]:18804', 18789)).toBe(true);
    expect(namesOtherPort('host=my-box.lan:18804 ok', 18789)).toBe(true);
    // Ours: the client's ephemeral port (53120) on the remote end is no gateway's.
    expect(namesOtherPort(ws('127.0.0.1:18789', '127.0.0.1:53120->127.0.0.1:18789'), 18789)).toBe(
      false,
    );
    expect(namesOtherPort('probe http://my-host:21549/healthz', 18789)).toBe(true);
  });

  it('a gateway.log not written since the spawn is not evidence; no readable log at all is null', () => {
    const { config, now, gatewayLog } = setup();
    writeFileSync(gatewayLog, 'stale\n');
    expect(gatewayEvidence(config, spawned(now + 3_600_000), now)).toBeNull();
  });
});

describe('withEvidence', () => {
  const down: WatchdogEvent = { level: 'error', event: 'gateway_down', reason: 'x' };
  const restart: WatchdogEvent = {
    level: 'info',
    event: 'gateway_restart',
    reason: 'crashed',
    method: 'command',
    pid: 1,
  };

  it('gathers only when an event is gateway_down or gateway_hung, once, and attaches to those only', () => {
    let calls = 0;
    const gather = () => (calls++, { lines: ['last'], from: '/f' });
    expect(withEvidence([restart], gather)).toEqual([restart]);
    expect(calls).toBe(0);
    const hung: WatchdogEvent = { level: 'error', event: 'gateway_hung', reason: 'y' };
    expect(withEvidence([down, restart, hung], gather)).toEqual([
      { ...down, evidence: ['last'], evidenceFrom: '/f' },
      restart,
      { ...hung, evidence: ['last'], evidenceFrom: '/f' },
    ]);
    expect(calls).toBe(1);
  });

  it('a failing read never stops the check', () => {
    expect(
      withEvidence([down], () => {
        throw new Error('EIO');
      }),
    ).toEqual([down]);
  });
});
