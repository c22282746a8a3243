import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cutText, GATEWAY_ID_CHARS, GATEWAY_TEXT_CHARS } from '../src/lib/gateway-text.js';
import { parseChannelsStatus } from '../src/lib/channels/parse.js';
import { runCli } from './helpers/cli.js';
import { healthy } from './helpers/gateways.js';
import { startFakeGateway, waitFor } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome } from './helpers/watchdog-home.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  cleanUp();
});

const TOKEN = 'tok-bounded-e2e-0123456789abcdef';
const HUGE = 20 * 1024 * 1024;

describe('strings from the gateway are cut where they are parsed', () => {
  it('cutText keeps whole code points and marks the cut', () => {
    expect(cutText('abc', 3)).toBe('abc');
    expect(cutText('abcd', 3)).toBe('ab…');
    expect(cutText('a😀b', 3)).toBe('a…');
    const [a] = parseChannelsStatus({
      channelAccounts: {
        ['c'.repeat(5000)]: [{ accountId: 'i'.repeat(5000), lastError: 'e'.repeat(HUGE) }],
      },
      statusIssues: [
        { channel: 'c'.repeat(5000), accountId: 'i'.repeat(5000), fix: 'f'.repeat(HUGE) },
      ],
    });
    expect(a!.channel).toHaveLength(GATEWAY_ID_CHARS);
    expect(a!.account).toHaveLength(GATEWAY_ID_CHARS);
    expect(a!.lastError).toHaveLength(GATEWAY_TEXT_CHARS);
  });

  it('a 20 MB lastError: a bounded event line, alert body, outbox and status', async () => {
    const ok = await startReceiver('ok');
    const fail = await startReceiver('fail');
    receivers.push(ok, fail);
    const h = await makeHome();
    h.configure({
      ...FAST,
      // channels.status carries 20 MB here: its RPC gets the time a loaded machine needs for it.
      probe: { ...FAST.probe, timeoutMs: 20_000 },
      gateway: { token: TOKEN },
      channels: { downAfterSec: 0, action: 'alert' },
      notify: { webhooks: [{ url: ok.url }, { url: fail.url }] },
    });
    const control = join(h.dir, '..', 'control.json');
    const account = {
      accountId: 'default',
      enabled: true,
      configured: true,
      running: true,
      connected: false,
      healthState: 'disconnected',
      lifecycle: 'ready',
      reconnectAttempts: 0,
      lastError: `getUpdates failed: ${'E'.repeat(HUGE)}`,
      lastStartAt: Date.now() - 3_600_000,
    };
    writeFileSync(
      control,
      JSON.stringify({
        readyz: { failing: ['telegram'] },
        rpc: {
          'channels.status': {
            ok: true,
            payload: { channels: {}, channelAccounts: { telegram: [account] }, statusIssues: [] },
          },
        },
      }),
    );
    startFakeGateway(
      ['--port', String(h.port), '--token', TOKEN, '--state-dir', h.stateDir, '--control', control],
      { env: h.own },
    );
    await waitFor(() => healthy(h.port), { what: 'fake gateway' });
    const check = await h.check(['--json']);
    expect(check.stdout.length).toBeLessThan(64 * 1024);
    const lines = readFileSync(join(h.dir, 'events.jsonl'), 'utf8').trim().split('\n');
    const down = lines.find((l) => l.includes('"channel_down"'));
    expect(down).toBeDefined();
    for (const l of lines) expect(l.length).toBeLessThan(8 * 1024);
    expect(JSON.parse(down!).lastError).toMatch(/^getUpdates failed: E+…$/);
    expect(ok.requests).toHaveLength(1);
    expect(JSON.stringify(ok.requests[0]!.body).length).toBeLessThan(8 * 1024);
    expect(statSync(join(h.dir, 'outbox.json')).size).toBeLessThan(64 * 1024);
    const status = await runCli(['status', '--json'], h.env);
    expect(status.stdout.length).toBeLessThan(64 * 1024);
    const events = await runCli(['events'], h.env);
    expect(events.stdout.length).toBeLessThan(8 * 1024);
  });
});
