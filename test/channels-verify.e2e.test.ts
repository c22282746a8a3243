import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { healthy } from './helpers/gateways.js';
import { startFakeGateway, waitFor } from './helpers/processes.js';
import { readRpcLog } from './helpers/rpc-log.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome, type Home } from './helpers/watchdog-home.js';

afterEach(cleanUp);

const TOKEN = 'tok-channels-verify-0123456789abcdef';

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
const DOWN = account({ connected: false, healthState: 'disconnected', lastError: 'fetch failed' });

function answer(h: Home, acct: Record<string, unknown>, issues: unknown[] = []): void {
  writeFileSync(
    join(h.dir, '..', 'control.json'),
    JSON.stringify({
      readyz: { failing: ['telegram'] },
      rpc: {
        'channels.status': {
          ok: true,
          payload: { channels: {}, channelAccounts: { telegram: [acct] }, statusIssues: issues },
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

async function setup(verifySec: number) {
  const h = await makeHome();
  h.configure({ ...FAST, gateway: { token: TOKEN }, channels: { downAfterSec: 0, verifySec } });
  answer(h, DOWN);
  const rpcLog = join(h.dir, '..', 'rpc.jsonl');
  startFakeGateway(
    [
      '--port',
      String(h.port),
      '--token',
      TOKEN,
      '--state-dir',
      h.stateDir,
      '--control',
      join(h.dir, '..', 'control.json'),
      '--rpc-log',
      rpcLog,
    ],
    { env: h.own },
  );
  await waitFor(() => healthy(h.port), { what: 'fake gateway' });
  const started = () => readRpcLog(rpcLog).some((r) => r.method === 'channels.start');
  return { h, started };
}

const restartEvent = (h: Home) => h.events().find((e) => e.event === 'channel_restart');

describe('a channel restart is ok only once the account runs', () => {
  it('still down after channels.start: channel_restart is not ok, and says what it saw', async () => {
    const { h } = await setup(2);
    expect((await h.check()).code).toBe(1);
    expect(restartEvent(h)).toMatchObject({
      ok: false,
      start: 'handed-off',
      error: expect.stringMatching(
        /^restarted, but not running after 2 s \(lifecycle ready, health disconnected, lastError: fetch failed\)$/,
      ),
    });
  });

  it('started while its upstream still fails: OpenClaw retries it (recovering); not ok, then left to OpenClaw until it recovers', async () => {
    // What the real 2026.9.6 gateway answered (test/real/channels.test.ts): a Telegram account
    // restarted while its Bot API answers 502 fails its start (deleteWebhook) and goes on
    // OpenClaw's own retry ladder; once the upstream is back the ladder brings it up.
    const { h, started } = await setup(2);
    const check = h.check();
    await waitFor(started, { what: 'channels.start', intervalMs: 50 });
    const startedAt = Date.now();
    const retrying = account({
      lastStartAt: startedAt,
      lastStopAt: startedAt + 24,
      restartPending: true,
      reconnectAttempts: 3,
      lifecycle: 'recovering',
      running: false,
      connected: false,
      lastError: "Call to 'deleteWebhook' failed! (502: Bad Gateway)",
    });
    answer(h, retrying);
    await check;
    expect(restartEvent(h)).toMatchObject({
      level: 'warn',
      ok: false,
      start: 'handed-off',
      error:
        "restarted, but not running after 2 s (lifecycle recovering, not running, lastError: Call to 'deleteWebhook' failed! (502: Bad Gateway))",
    });
    // Still on OpenClaw's ladder: no second restart of the account, no gateway restart.
    await h.check();
    expect(h.eventNames().filter((e) => e === 'channel_restart')).toHaveLength(1);
    expect(h.eventNames()).not.toContain('gateway_restart');
    // The upstream back: the ladder brings it up and traffic moves.
    const now = Date.now();
    answer(h, account({ lastStartAt: now - 1_000, lastTransportActivityAt: now }));
    await h.check();
    expect(h.eventNames()).toContain('channel_recovered');
    expect(h.eventNames().filter((e) => e === 'channel_restart')).toHaveLength(1);
  });

  it('running and ready after channels.start: ok', async () => {
    const { h, started } = await setup(2);
    const check = h.check();
    await waitFor(started, { what: 'channels.start', intervalMs: 50 });
    answer(h, account({ lastStartAt: Date.now() }));
    await check;
    expect(restartEvent(h)).toMatchObject({ ok: true, start: 'handed-off' });
  });

  it('up, then down again within the window: not ok', async () => {
    const { h, started } = await setup(5);
    const check = h.check();
    await waitFor(started, { what: 'channels.start', intervalMs: 50 });
    answer(h, account({ lastStartAt: Date.now() }));
    await waitFor(
      () =>
        readRpcLog(join(h.dir, '..', 'rpc.jsonl')).filter((r) => r.method === 'channels.status')
          .length >= 3,
      { what: 'a look at the account up', intervalMs: 50 },
    );
    answer(h, account({ lifecycle: 'blocked', running: false, lastError: '401: Unauthorized' }));
    await check;
    expect(restartEvent(h)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^restarted, but blocked \(lifecycle blocked/),
    });
  });

  it('blocked (401): the alert names the command that starts the account again; status shows it', async () => {
    const { h } = await setup(0);
    answer(h, account({ lifecycle: 'blocked', running: false, lastError: '401: Unauthorized' }), [
      { channel: 'telegram', accountId: 'default', fix: 'Update the bot token' },
    ]);
    await h.check();
    const down = h.events().find((e) => e.event === 'channel_down');
    expect(down).toMatchObject({
      state: 'blocked',
      fix: 'Update the bot token',
      then: `openclaw gateway call channels.start --params '{"channel":"telegram","accountId":"default"}'`,
    });
    const status = await runCli(['status'], h.env);
    expect(status.stdout).toContain('telegram/default DOWN');
  });
});
