import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTempDirs } from './helpers/dirs.js';
import { healthy, listener } from './helpers/gateways.js';
import { isAlive, killTracked, startFakeGateway, waitFor } from './helpers/processes.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startDiscord, type Service } from './helpers/service-receivers.js';
import { makeHome, withFakeRestart } from './helpers/watchdog-home.js';

const closers: (Receiver | Service<unknown>)[] = [];
afterEach(async () => {
  killTracked();
  for (const r of closers.splice(0)) await r.close();
  removeTempDirs();
});

type Down = {
  event: string;
  details: { evidence?: string[]; evidenceFrom?: string; evidenceNote?: string };
};

describe('evidence: the gateway_down alert carries the last lines the gateway printed', () => {
  it('a gateway the watchdog started prints a secret, then crashes: the alert shows the line, the secret redacted', async () => {
    const json = await startReceiver();
    const discord = await startDiscord();
    closers.push(json, discord as Service<unknown>);
    const h = await makeHome();
    // OpenClaw's own file log goes to the test's home (not the /tmp/openclaw every gateway here shares).
    writeFileSync(
      join(h.stateDir, 'openclaw.json'),
      JSON.stringify({ logging: { file: join(h.home, 'openclaw-own.log') } }),
    );
    const leak = `agent boot: OPENROUTER_API_KEY=or-v1-0123456789abcdef posting to ${json.url}`;
    const webhooks = [
      { url: json.url, format: 'json' },
      { url: discord.url, format: 'discord' },
    ];
    const settings = withFakeRestart(h.port, ['--print', leak], { notify: { webhooks } });
    h.configure({ ...settings, restart: { ...settings.restart, baseDelaySec: 0 } });
    expect((await h.check()).code).toBe(0); // down (nothing to show yet) → restarted → healthy
    const pid = listener(h.port)!;
    process.kill(pid, 'SIGKILL'); // a crash: the OOM killer's way
    await waitFor(() => !isAlive(pid), { what: 'the gateway to die' });
    expect((await h.check()).code).toBe(0); // down, restarted at once (no backoff), healthy

    const downs = json.requests
      .map((r) => r.body as Down)
      .filter((b) => b.event === 'gateway_down');
    expect(downs).toHaveLength(2);
    expect(downs[0]!.details.evidence).toBeUndefined();
    const { evidence, evidenceFrom } = downs[1]!.details;
    expect(evidenceFrom).toBe(join(h.dir, 'gateway.log'));
    // Read before the restart: the first gateway's lines only, not the new one's (it prints the same).
    const boots = evidence!.filter((l) => l.startsWith('agent boot:'));
    expect(boots).toHaveLength(1);
    const line = boots[0];
    expect(line).toBe('agent boot: OPENROUTER_API_KEY=<redacted> posting to <redacted>');
    expect(evidence!.some((l) => l.includes('[gateway] listening on'))).toBe(true);

    const content = discord.got.map((g) => g.content).find((c) => c.includes('Last lines'))!;
    expect(content).toContain('OPENROUTER_API_KEY=<redacted>');
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(discord.refused).toEqual([]);
    const logged = readFileSync(join(h.dir, 'events.jsonl'), 'utf8');
    expect(logged).toContain('OPENROUTER_API_KEY=<redacted>');
    for (const text of [JSON.stringify(json.requests.map((r) => r.body)), content, logged]) {
      expect(text).not.toContain('or-v1-0123456789abcdef');
      expect(text).not.toContain('secret-part');
    }
  });

  it("a gateway the watchdog did not start: the recent lines of OpenClaw's own file log (logging.file), rendered", async () => {
    const json = await startReceiver();
    closers.push(json);
    const h = await makeHome();
    const ownLog = join(h.home, 'openclaw-own.log');
    writeFileSync(join(h.stateDir, 'openclaw.json'), JSON.stringify({ logging: { file: ownLog } }));
    const meta = { logLevelName: 'ERROR', name: '{"subsystem":"gateway"}' };
    const time = new Date().toISOString();
    const old = {
      _meta: meta,
      time: '2020-01-01T00:00:00.000Z',
      message: 'another gateway, long ago',
    };
    const line = { _meta: meta, time, message: 'uncaught: token=abcdef0123456789' };
    writeFileSync(ownLog, `${JSON.stringify(old)}\n${JSON.stringify(line)}\n`);
    h.configure(
      withFakeRestart(h.port, [], { notify: { webhooks: [{ url: json.url, format: 'json' }] } }),
    );
    expect((await h.check()).code).toBe(0);
    const down = json.requests.map((r) => r.body as Down).find((b) => b.event === 'gateway_down')!;
    expect(down.details).toMatchObject({
      evidenceFrom: ownLog,
      evidence: [`${time} ERROR [gateway] uncaught: token=<redacted>`],
    });
  });

  it("OpenClaw's log shared with another gateway of the user: its lines naming its port are left out, the alert says the rest may be its", async () => {
    const json = await startReceiver();
    closers.push(json);
    const h = await makeHome();
    const other = await makeHome();
    const shared = join(h.home, 'openclaw-shared.log');
    writeFileSync(join(h.stateDir, 'openclaw.json'), JSON.stringify({ logging: { file: shared } }));
    h.configure(
      withFakeRestart(h.port, [], { notify: { webhooks: [{ url: json.url, format: 'json' }] } }),
    );
    // Ours, started by hand (not by the watchdog: no gateway.log), seen healthy, then killed.
    const ours = startFakeGateway(['--port', String(h.port), '--log-file', shared], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'ours' });
    expect((await h.check()).code).toBe(0);
    process.kill(ours.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(ours.pid!), { what: 'crash' });
    // Another gateway of the same user, another port, writes to the same file after ours died.
    startFakeGateway(['--port', String(other.port), '--log-file', shared], { env: other.own });
    await waitFor(() => healthy(other.port), { what: 'the other' });
    expect(readFileSync(shared, 'utf8')).toContain(`:${other.port}`);
    expect((await h.check()).code).toBe(0);
    const down = json.requests.map((r) => r.body as Down).find((b) => b.event === 'gateway_down')!;
    const { evidence, evidenceFrom, evidenceNote } = down.details;
    expect(evidenceFrom).toBe(shared);
    expect(evidence?.some((l) => l.includes(`:${h.port}`))).toBe(true);
    expect(evidence?.filter((l) => l.includes(`:${other.port}`))).toEqual([]);
    expect(evidenceNote).toMatch(/other gateways? (is|are) running, these lines may be theirs/);
  });
});
