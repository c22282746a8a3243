import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './helpers/dirs.js';
import { killTracked } from './helpers/processes.js';
import { startNtfy, startTelegram, type Service } from './helpers/service-receivers.js';
import { makeHome, withFakeRestart } from './helpers/watchdog-home.js';

const services: Service<unknown>[] = [];
afterEach(async () => {
  killTracked();
  for (const s of services.splice(0)) await s.close();
  removeTempDirs();
});
const keep = <T>(s: Service<T>) => (services.push(s as Service<unknown>), s);

const BOT = `987654321:${'Zz09_-'.repeat(5)}abcde`;
const NTFY_TOKEN = 'tk_ntfytoken0123456789abc';

describe('ntfy, Telegram and a command from a real check', () => {
  it('each channel gets gateway_down, gateway_restart, gateway_recovered in order; no token in any output', async () => {
    const ntfy = keep(await startNtfy(`Bearer ${NTFY_TOKEN}`));
    const tg = keep(await startTelegram(BOT, ['-100777']));
    const out = tempDir();
    const script = join(out, 'notify.mjs');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
       let s = ''; process.stdin.on('data', (d) => (s += d));
       process.stdin.on('end', () => appendFileSync(process.argv[2], s));`,
    );
    const received = join(out, 'alerts.jsonl');
    const h = await makeHome();
    const notify = {
      ntfy: [{ url: `${ntfy.url}/oc-alerts-Q7x`, token: NTFY_TOKEN, tags: ['openclaw'] }],
      telegram: [{ botToken: BOT, chatId: -100777, apiRoot: tg.url }],
      commands: [{ argv: [process.execPath, script, received] }],
    };
    h.configure(withFakeRestart(h.port, [], { notify }));
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    const order = ['gateway_down', 'gateway_restart', 'gateway_recovered'];
    expect(ntfy.got.map((m) => m.title.replace(/^.*?: /, ''))).toEqual([
      'gateway down: nothing listens on the port',
      expect.stringMatching(/^gateway restarted \(crashed, via command, pid \d+\)$/),
      expect.stringMatching(/^gateway recovered after /),
    ]);
    expect(ntfy.got.map((m) => m.priority)).toEqual([4, 3, 3]);
    expect(tg.got.map((m) => m.text)).toEqual([
      expect.stringContaining('gateway down'),
      expect.stringContaining('gateway restarted'),
      expect.stringContaining('gateway recovered'),
    ]);
    const lines = readFileSync(received, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(order);
    const logged = readFileSync(join(h.dir, 'events.jsonl'), 'utf8');
    for (const text of [r.stdout, r.stderr, logged]) {
      expect(text).not.toContain(BOT.split(':')[1]);
      expect(text).not.toContain(NTFY_TOKEN);
    }
  });

  it('a failing channel is a notify_failed naming it by label; the others still deliver', async () => {
    const tg = keep(await startTelegram(BOT, ['-100777']));
    const ntfy = keep(await startNtfy());
    const h = await makeHome();
    const notify = {
      ntfy: [{ url: `${ntfy.url}/t` }],
      telegram: [{ botToken: BOT, chatId: 42, apiRoot: tg.url }],
      commands: [{ argv: [process.execPath, '-e', 'process.exit(3)'] }],
      timeoutMs: 2000,
    };
    h.configure(withFakeRestart(h.port, [], { notify }));
    expect((await h.check()).code).toBe(0);
    expect(ntfy.got).toHaveLength(3);
    const failed = h.events().filter((e) => e.event === 'notify_failed');
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'telegram chat 42',
          about: 'gateway_down',
          error: 'HTTP 400: Bad Request: chat not found',
        }),
        expect.objectContaining({ channel: 'command node', error: 'exit code 3' }),
      ]),
    );
    expect(JSON.stringify(h.events())).not.toContain(BOT.split(':')[1]);
  });
});
