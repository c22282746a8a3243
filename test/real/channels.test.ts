// Opt-in (npm run test:real): a real OpenClaw 2026.9.6 gateway whose Telegram account talks to a
// local fake Bot API (apiRoot) that this test turns healthy → 502 → never-answering → 401 → back.
// The watchdog's timers are shortened through its config; OpenClaw's own 120 s connect grace is not
// configurable, so this test takes minutes.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/lib/config/load.js';
import { callGateway } from '../../src/lib/probe/rpc.js';
import { startBotApi, type BotApi, type BotApiMode } from '../helpers/bot-api.js';
import { bareEnv, runCli } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';
import { listener } from '../helpers/gateways.js';
import { freePort } from '../helpers/net.js';
import { isAlive, killTracked, waitFor } from '../helpers/processes.js';
import { installReal } from './install.js';

const TOKEN = 'real-channels-token-0123456789';
const BOT_TOKEN = `123456:${'A'.repeat(35)}`;
let realPath = '';
let api: BotApi | null = null;
let gatewayPid: number | null = null;
let gatewayPort: number | null = null;

beforeAll(() => {
  realPath = installReal();
}, 900_000);
afterEach(async () => {
  // The gateway the watchdog started is not a child of this process: killed by pid.
  const now = gatewayPort !== null ? listener(gatewayPort) : null;
  for (const pid of new Set([gatewayPid, now]))
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
  killTracked();
  await api?.close();
});
afterAll(() => removeTempDirs());

async function home(bot: BotApi) {
  const home = tempDir('ocwd-real-ch-');
  const stateDir = join(home, '.openclaw');
  const port = await freePort();
  mkdirSync(join(stateDir, 'watchdog'), { recursive: true });
  writeFileSync(
    join(stateDir, 'openclaw.json'),
    JSON.stringify({
      gateway: { mode: 'local', port, auth: { mode: 'token', token: TOKEN } },
      logging: { file: join(stateDir, 'openclaw.log') },
      channels: {
        telegram: {
          defaultAccount: 'default',
          accounts: { default: { botToken: BOT_TOKEN, apiRoot: bot.url, enabled: true } },
        },
      },
    }),
  );
  writeFileSync(
    join(stateDir, 'watchdog', 'config.json'),
    JSON.stringify({
      probe: { timeoutMs: 3000 },
      restart: { verifyTimeoutSec: 120 },
      channels: { checkEverySec: 0, staleAfterSec: 45, downAfterSec: 5 },
    }),
  );
  const env = { ...bareEnv(home), PATH: realPath };
  const config = { host: '127.0.0.1', port, token: TOKEN, authMode: 'token' } as unknown as Config;
  return { home, stateDir, port, env, config };
}

type Ev = Record<string, unknown> & { event: string };

describe('channels on the real gateway, a Telegram account on a local Bot API', () => {
  it('502: channel_down → channel_restart not ok (still 502) → recovered by OpenClaw; never-answering, back while watched: restart ok; 401: one channel_down with the fix, never restarted', async () => {
    api = await startBotApi();
    const bot = api;
    const h = await home(bot);
    gatewayPort = h.port;
    const events: Ev[] = [];
    const check = async () => {
      const r = await runCli(['check', '--json'], h.env);
      const report = JSON.parse(r.stdout) as { events: Ev[] };
      events.push(...report.events);
      return report;
    };
    let lastAnswer = '';
    const account = async () => {
      const [a] = await callGateway(
        h.config,
        [{ method: 'channels.status', params: { probe: false } }],
        { scopes: ['operator.read'], timeoutMs: 10_000 },
      );
      lastAnswer = a?.ok ? 'ok' : `${a?.code} ${a?.message ?? ''}`;
      const list = a?.ok ? (a.payload.channelAccounts as Record<string, unknown[]>)?.telegram : [];
      return (list?.[0] ?? null) as Record<string, unknown> | null;
    };
    /** Checks as cron would (every 2 s here) until an event named `name` comes after `from`. */
    const until = (name: string, from: number, timeoutMs: number) =>
      waitFor(
        async () => {
          await check();
          return events.slice(from).find((e) => e.event === name);
        },
        { what: name, timeoutMs, intervalMs: 2000 },
      );

    await check(); // starts the gateway
    gatewayPid = listener(h.port);
    expect(gatewayPid).not.toBeNull();
    await waitFor(async () => (await account())?.lifecycle === 'ready', {
      what: 'telegram account ready',
      timeoutMs: 120_000,
      intervalMs: 1000,
    }).catch((e: Error) => {
      throw new Error(`${e.message} (channels.status: ${lastAnswer})`, { cause: e });
    });
    expect(bot.calls).toContain('getMe');
    await check();
    expect(events.filter((e) => e.event.startsWith('channel'))).toEqual([]);
    // The watchdog's own look saw it up.
    const state = JSON.parse(readFileSync(join(h.stateDir, 'watchdog', 'state.json'), 'utf8'));
    expect(state.channels).toMatchObject({
      unchecked: null,
      accounts: [{ channel: 'telegram', account: 'default', up: true }],
    });

    /**
     * The upstream breaks (`mode`) until the account is down and restarted alone (the check that
     * logs channel_down past downAfterSec restarts it and watches it for channels.verifySec).
     * `backWhile`: the upstream comes back at the restarted account's first call (its start's
     * deleteWebhook), so while the watchdog watches it; else only after channel_restart.
     */
    const phase = async (mode: BotApiMode, backWhile: boolean) => {
      const from = events.length;
      const mark = bot.calls.length;
      bot.set(mode);
      const back = backWhile
        ? setInterval(() => {
            if (!bot.calls.slice(mark).includes('deleteWebhook')) return;
            bot.set('ok');
            clearInterval(back);
          }, 20)
        : undefined;
      const down = await until('channel_down', from, 240_000);
      await until('channel_restart', from, 60_000).finally(() => clearInterval(back));
      const afterRestart = await account();
      bot.set('ok');
      const recovered = await until('channel_recovered', from, 240_000);
      const seen = events.slice(from).filter((e) => e.event.startsWith('channel'));
      // The Bot API calls after the restart's channels.start, ms from the account's lastStartAt.
      const startAt = Number(afterRestart?.lastStartAt ?? 0);
      const calls = bot.calls
        .map((c, i) => `${c} +${bot.callTimes[i]! - startAt}`)
        .filter((_, i) => bot.callTimes[i]! >= startAt)
        .slice(0, 12);
      console.log(`\n${mode} phase: ${JSON.stringify({ seen, afterRestart, calls }, null, 2)}`);
      return {
        down,
        restart: events.slice(from).find((e) => e.event === 'channel_restart'),
        afterRestart,
        recovered,
      };
    };

    // Restarted while the upstream still answers 502: OpenClaw's start fails (deleteWebhook 502)
    // and puts the account on its own retry ladder, so the watchdog's verification
    // (channels.verifySec) truthfully says the restart did not bring it up (issue #20 item 12).
    // The upstream back, OpenClaw's ladder brings the account up: channel_recovered.
    const bad = await phase('502', false);
    expect(bad.down).toMatchObject({ channel: 'telegram', account: 'default', state: 'stale' });
    expect(bad.restart).toMatchObject({
      level: 'warn',
      ok: false,
      start: 'handed-off',
      error: expect.stringMatching(
        /^restarted, but not running after 20 s \(lifecycle recovering, not running, lastError: .*deleteWebhook.*502/,
      ),
    });
    expect(bad.afterRestart).toMatchObject({ lifecycle: 'recovering', running: false });
    expect(bad.recovered).toMatchObject({ channel: 'telegram', account: 'default' });
    expect(listener(h.port)).toBe(gatewayPid); // the account alone, not the gateway

    // Never answering; the upstream comes back while the restarted account is watched: it runs
    // and stays ready within channels.verifySec, so the restart is ok.
    const never = await phase('never', true);
    expect(never.down).toMatchObject({ channel: 'telegram', account: 'default' });
    expect(never.restart).toMatchObject({ level: 'info', ok: true, start: 'handed-off' });
    expect(never.recovered).toMatchObject({ channel: 'telegram', account: 'default' });
    expect(listener(h.port)).toBe(gatewayPid);

    const from = events.length;
    bot.set('401');
    const blocked = await until('channel_down', from, 240_000);
    expect(blocked).toMatchObject({ channel: 'telegram', account: 'default', state: 'blocked' });
    expect(blocked.fix).toEqual(expect.any(String)); // OpenClaw's statusIssues fix text
    // Back: the Bot API answers again; OpenClaw does not retry a blocked account, nor does the
    // watchdog: several windows later still one channel_down, no restart.
    bot.set('ok');
    for (let i = 0; i < 8; i++) {
      await check();
      await new Promise((r) => setTimeout(r, 2000));
    }
    const after = events.slice(from).map((e) => e.event);
    expect(after.filter((e) => e === 'channel_down')).toHaveLength(1);
    expect(after).not.toContain('channel_restart');
    expect(after).not.toContain('gateway_restart');
    console.log(
      `\nchannel events: ${JSON.stringify(
        events.filter((e) => e.event.startsWith('channel')),
        null,
        2,
      )}`,
    );
  }, 1_200_000);
});
