import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { removeTempDirs } from './helpers/dirs.js';
import { freePort } from './helpers/net.js';
import { killTracked } from './helpers/processes.js';
import { closeReceivers, receiver } from './helpers/receiver.js';
import { makeHome } from './helpers/watchdog-home.js';

afterEach(async () => {
  killTracked();
  await closeReceivers();
  removeTempDirs();
});

describe('openclaw-watchdog notify test', () => {
  it('one good and one dead receiver: prints both (hosts only) and exits non-zero; the heartbeat is tested too', async () => {
    const good = await receiver();
    const hb = await receiver();
    const dead = `http://127.0.0.1:${await freePort()}/hook/secret-part`;
    const h = await makeHome({
      notify: {
        webhooks: [{ url: good.url, format: 'slack' }, { url: dead }],
        heartbeat: { url: `${new URL(hb.url).origin}/ping/abc-secret-part` },
      },
    });
    const r = await runCli(['notify', 'test'], h.env);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^webhook slack http:\/\/127\.0\.0\.1:\d+\/… +delivered$/);
    expect(lines[1]).toMatch(/^webhook json http:\/\/127\.0\.0\.1:\d+\/… +failed: ECONNREFUSED$/);
    expect(lines[2]).toMatch(/^heartbeat healthchecks http:\/\/127\.0\.0\.1:\d+\/… +delivered$/);
    expect(r.stdout + r.stderr).not.toContain('secret-part');
    expect((good.requests[0]!.body as { text: string }).text).toContain('test alert');
    expect(hb.requests.map((q) => q.path)).toEqual(['/ping/abc-secret-part']);
    // never queued: a test is not an alert to retry
    expect(h.events().map((e) => e.event)).toEqual([]);

    const json = await runCli(['notify', 'test', '--json'], h.env);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as { ok: boolean; results: unknown[] };
    expect(out.ok).toBe(false);
    expect(out.results[1]).toMatchObject({ delivered: false, error: 'ECONNREFUSED' });
  });

  it('all delivered: exit 0; nothing configured: says so, exit 1', async () => {
    const good = await receiver();
    const h = await makeHome({ notify: { webhooks: [{ url: good.url, events: ['crash_loop'] }] } });
    const r = await runCli(['notify', 'test'], h.env);
    expect(r.code).toBe(0);
    expect(good.requests[0]!.body).toMatchObject({ event: 'notify_test', level: 'info' });
    const empty = await makeHome();
    const none = await runCli(['notify', 'test'], empty.env);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^nothing to test/);
  });

  it('a config mistake or a missing subcommand: one line, exit 2', async () => {
    const h = await makeHome();
    writeFileSync(
      join(h.dir, 'config.json'),
      JSON.stringify({ notify: { heartbeat: { url: 'ftp://x/secret-part', start: 1 } } }),
    );
    const bad = await runCli(['notify', 'test'], h.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/notify\.heartbeat\.url: must be an http\(s\) URL/);
    expect(bad.stderr).not.toContain('secret-part');
    const nosub = await runCli(['notify'], h.env);
    expect(nosub.code).toBe(2);
    expect(nosub.stderr).toMatch(/notify: expected a subcommand \(test\), got none/);
    const other = await runCli(['notify', 'send'], h.env);
    expect(other.code).toBe(2);
  });
});
