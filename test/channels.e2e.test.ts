import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './helpers/dirs.js';
import { freePort } from './helpers/net.js';
import { readStartTicks } from '../src/lib/procs/table.js';
import { healthy } from './helpers/gateways.js';
import { isAlive, killTracked, startFakeGateway, waitFor } from './helpers/processes.js';
import { runCli } from './helpers/cli.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';
import { readRpcLog } from './helpers/rpc-log.js';

afterEach(() => {
  killTracked();
  removeTempDirs();
});

const TOKEN = 'tok-channels-e2e-0123456789abcdef';

/** A Telegram account as channels.status answers it (OpenClaw 2026.9.6 field names). */
const account = (over: Record<string, unknown>) => ({
  accountId: 'default',
  enabled: true,
  configured: true,
  running: true,
  connected: true,
  lifecycle: 'ready',
  restartPending: false,
  reconnectAttempts: 0,
  lastError: null,
  lastStartAt: Date.now() - 3_600_000,
  ...over,
});
const UP = account({});
const DOWN = account({
  connected: false,
  healthState: 'disconnected',
  lastError: 'getUpdates failed: fetch failed',
});

/** The fake gateway's answers: /readyz failing, channels.status, channels.stop/start as §10. */
function answer(h: Home, acct: Record<string, unknown>, failing: string[]): void {
  writeFileSync(
    join(h.dir, '..', 'control.json'),
    JSON.stringify({
      readyz: { failing },
      rpc: {
        'channels.status': {
          ok: true,
          payload: { channels: {}, channelAccounts: { telegram: [acct] }, statusIssues: [] },
        },
        'channels.stop': { ok: true, payload: { stopped: true } },
        'channels.start': {
          ok: true,
          payload: { started: true, outcome: { status: 'handed-off' } },
        },
      },
    }),
  );
}

const rpcLog = (h: Home) => readRpcLog(join(h.dir, '..', 'rpc.jsonl'));

/** The RPCs made, without the connects (the probe itself connects on every check when a token
 * is configured). */
const rpcCalls = (h: Home) => rpcLog(h).filter((r) => r.method !== 'connect');

const gatewayFlags = (h: Home) => [
  '--token',
  TOKEN,
  '--state-dir',
  h.stateDir,
  '--control',
  join(h.dir, '..', 'control.json'),
  '--rpc-log',
  join(h.dir, '..', 'rpc.jsonl'),
];

async function gatewayFor(h: Home) {
  const gw = startFakeGateway(['--port', String(h.port), ...gatewayFlags(h)], { env: h.own });
  await waitFor(() => healthy(h.port), { what: 'fake gateway' });
  return gw;
}

const metricsOf = (h: Home) => readFileSync(join(h.dir, 'metrics.prom'), 'utf8');

describe('channels: a dead channel under a green /healthz', () => {
  it("another profile's gateway on our port gets no channel RPC: none of ours known, or ours not on the port; said once", async () => {
    const h = await makeHome();
    h.configure({ ...FAST, gateway: { token: TOKEN }, channels: { downAfterSec: 0 } });
    answer(h, DOWN, ['telegram']);
    // B: another state dir's gateway (same token) on OUR port, its account down.
    const other = tempDir();
    startFakeGateway(
      [
        '--port',
        String(h.port),
        ...gatewayFlags(h).slice(0, 2),
        '--state-dir',
        other,
        ...gatewayFlags(h).slice(4),
      ],
      { env: { ...h.env, OPENCLAW_STATE_DIR: other } },
    );
    await waitFor(() => healthy(h.port), { what: 'fake gateway' });
    // No gateway of ours at all (no lock in our state dir, none started by us).
    expect((await h.check()).code).toBe(0);
    expect(h.events()).toMatchObject([{ event: 'channels_unchecked', code: 'GATEWAY_UNKNOWN' }]);
    expect(h.state()).toMatchObject({ channels: { unchecked: 'GATEWAY_UNKNOWN' } });

    // A: ours (our state dir, the one the watchdog started), alive on another port.
    const port = await freePort();
    const a = startFakeGateway(
      ['--port', String(port), '--token', TOKEN, '--state-dir', h.stateDir],
      {
        env: h.own,
      },
    );
    await waitFor(() => healthy(port), { what: 'our fake gateway' });
    const spawned = {
      pid: a.pid,
      startTicks: readStartTicks(a.pid!),
      at: Date.now(),
      method: 'command',
    };
    writeFileSync(join(h.dir, 'state.json'), JSON.stringify({ version: 1, spawned }));
    expect((await h.check()).code).toBe(0);
    expect((await h.check()).code).toBe(0);
    expect(h.eventNames()).toEqual(['channels_unchecked', 'channels_unchecked']);
    expect(h.events()[1]).toMatchObject({ code: 'GATEWAY_NOT_ON_PORT' });
    expect(rpcCalls(h)).toEqual([]);
    expect(isAlive(a.pid!)).toBe(true);
  });

  it('no RPC while nothing names a channel; /readyz failing → channels.status; down → channel_down, that account restarted alone (stop then start), then recovered', async () => {
    const h = await makeHome();
    h.configure({
      ...FAST,
      gateway: { token: TOKEN },
      // Not watched after the restart: ok means both RPCs answered (channels-verify.e2e tests the watch).
      channels: { downAfterSec: 0, verifySec: 0 },
      metrics: { textfile: join(h.dir, 'metrics.prom') },
    });
    answer(h, UP, []);
    const gw = await gatewayFor(h);

    // First check: no look yet, so one channels.status; the second (within checkEverySec): none.
    expect((await h.check()).code).toBe(0);
    expect((await h.check()).code).toBe(0);
    expect(rpcCalls(h)).toEqual([{ method: 'channels.status', params: { probe: false } }]);
    expect(metricsOf(h)).toContain(
      'openclaw_watchdog_channel_up{gateway="default",channel="telegram",account="default"} 1',
    );

    // The account dies; /readyz names telegram: this check asks, alerts, restarts it alone.
    answer(h, DOWN, ['telegram']);
    // A dry run says what it would do and restarts nothing.
    const dry = await h.check(['--dry-run']);
    expect(dry.stdout).toContain('would: restart channel account telegram/default');
    expect(rpcCalls(h).map((r) => r.method)).not.toContain('channels.stop');
    const down = await h.check(['--json']);
    expect(down.code).toBe(1);
    const report = JSON.parse(down.stdout);
    expect(report).toMatchObject({ status: 'degraded' });
    expect(report.actions).toEqual([
      {
        type: 'channel-restart',
        channel: 'telegram',
        account: 'default',
        gateway: { pid: gw.pid, startTicks: expect.any(Number) },
      },
    ]);
    const log = rpcLog(h);
    const stopAt = log.findIndex((r) => r.method === 'channels.stop');
    // One session asked for operator.admin: stop, then start, of that account alone.
    expect(log.slice(stopAt - 1)).toEqual([
      { method: 'connect', params: { scopes: ['operator.admin'], client: 'cli' } },
      { method: 'channels.stop', params: { channel: 'telegram', accountId: 'default' } },
      { method: 'channels.start', params: { channel: 'telegram', accountId: 'default' } },
    ]);
    expect(rpcCalls(h).map((r) => r.method)).toEqual([
      'channels.status',
      'channels.status', // the dry run's look
      'channels.status',
      'channels.stop',
      'channels.start',
    ]);
    const events = h.events().filter((e) => String(e.event).startsWith('channel'));
    expect(events).toMatchObject([
      {
        event: 'channel_down',
        channel: 'telegram',
        account: 'default',
        state: 'disconnected',
        lastError: 'getUpdates failed: fetch failed',
      },
      {
        event: 'channel_restart',
        channel: 'telegram',
        account: 'default',
        ok: true,
        start: 'handed-off',
      },
    ]);
    expect(metricsOf(h)).toContain(
      'openclaw_watchdog_channel_up{gateway="default",channel="telegram",account="default"} 0',
    );
    const status = JSON.parse((await runCli(['status', '--json'], h.env)).stdout);
    expect(status.channels.accounts).toEqual([
      expect.objectContaining({
        channel: 'telegram',
        account: 'default',
        up: false,
        alerted: 'down',
        recovery: 'account',
      }),
    ]);

    // Back: the next check follows the account (it was down) and says recovered.
    answer(h, UP, []);
    expect((await h.check()).code).toBe(0);
    expect(h.eventNames().filter((e) => e.startsWith('channel'))).toEqual([
      'channel_down',
      'channel_restart',
      'channel_recovered',
    ]);
    expect(metricsOf(h)).toContain(
      'openclaw_watchdog_channel_up{gateway="default",channel="telegram",account="default"} 1',
    );
    // Recovered, nothing names a channel, the periodic look is not due: no RPC any more.
    const before = rpcCalls(h).length;
    expect((await h.check()).code).toBe(0);
    expect(rpcCalls(h)).toHaveLength(before);
  });

  it('still down a window after its own restart: the gateway is restarted gracefully (reason channel)', async () => {
    const h = await makeHome();
    h.configure({
      ...withFakeRestart(h.port, gatewayFlags(h)),
      gateway: { token: TOKEN },
      channels: { downAfterSec: 0, verifySec: 0 },
    });
    answer(h, DOWN, ['telegram']);
    const first = await gatewayFor(h);
    expect((await h.check()).code).toBe(1); // channel_down + channel_restart
    const again = JSON.parse((await h.check(['--json'])).stdout);
    expect(again.actions).toEqual([
      expect.objectContaining({
        type: 'graceful-restart',
        reason: 'channel',
        target: expect.objectContaining({ pid: first.pid }),
      }),
    ]);
    expect(again.restart).toMatchObject({ result: 'healthy' });
    await waitFor(() => !isAlive(first.pid!), { what: 'old gateway gone' });
    expect(h.eventNames()).toEqual(
      expect.arrayContaining([
        'channel_down',
        'channel_restart',
        'gateway_stopped',
        'gateway_restart',
      ]),
    );
    // Nothing more is tried for that account while it stays down (no restart loop).
    const third = JSON.parse((await h.check(['--json'])).stdout);
    expect(third.actions.map((a: { type: string }) => a.type)).not.toContain('graceful-restart');
    expect(third.actions.map((a: { type: string }) => a.type)).not.toContain('channel-restart');
  });

  it('without a token: channels_unchecked once, and no connection is made for it', async () => {
    const h = await makeHome(FAST);
    answer(h, DOWN, ['telegram']);
    await gatewayFor(h);
    await h.check();
    await h.check();
    expect(h.eventNames().filter((e) => e.startsWith('channel'))).toEqual(['channels_unchecked']);
    expect(rpcLog(h)).toEqual([]);
  });
});
