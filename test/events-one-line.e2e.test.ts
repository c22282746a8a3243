import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bareEnv, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/dirs.js';
import { freePort } from './helpers/net.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

const evidence = Array.from({ length: 15 }, (_, i) => `2026-12-06T10:00:${10 + i}Z INFO line ${i}`);
const down = {
  ts: '2026-12-06T10:01:00.000Z',
  level: 'error',
  event: 'gateway_down',
  reason: 'nothing listens on the port',
  evidence,
  evidenceFrom: '/home/me/.openclaw/watchdog/gateway.log',
};
const channel = {
  ts: '2026-12-06T10:02:00.000Z',
  level: 'error',
  event: 'channel_down',
  channel: 'tele\u001b[2Jgram',
  account: 'evil\nrecent    2026 forged_event',
  state: 'stopped',
  lastError: `boom \u009b31m ${'x'.repeat(500)}`,
};

async function home() {
  const h = tempDir();
  const dir = join(h, '.openclaw', 'watchdog');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'events.jsonl'), `${JSON.stringify(down)}\n${JSON.stringify(channel)}\n`);
  return bareEnv(h, { OPENCLAW_GATEWAY_PORT: String(await freePort()) });
}

// eslint-disable-next-line no-control-regex -- matching them is the point
const ESCAPES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('events and status: one line per event, evidence on request, nothing raw for the terminal', () => {
  it('events: one line each; --evidence adds the lines; --json keeps everything', async () => {
    const env = await home();
    const r = await runCli(['events'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('gateway_down');
    expect(lines[0]).toContain('(+15 evidence lines)');
    expect(lines[0]).not.toContain('line 3');
    expect(lines[1]!.length).toBeLessThan(400); // the 500-character error is cut
    expect(r.stdout).not.toMatch(ESCAPES);
    expect(lines[1]).toContain('tele\\u001b[2Jgram');
    expect(lines[1]).toContain('evil\\nrecent');
    const full = await runCli(['events', '--evidence'], env);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain('    evidence from /home/me/.openclaw/watchdog/gateway.log:\n');
    for (const l of evidence) expect(full.stdout).toContain(`    | ${l}\n`);
    expect(full.stdout).toContain('x'.repeat(500));
    expect(full.stdout).not.toMatch(ESCAPES);
    const json = await runCli(['events', '--json'], env);
    const parsed = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(parsed).toEqual([down, channel]);
    expect(json.stdout).not.toMatch(ESCAPES);
  });

  it('status: recent events one line each; --verbose shows the evidence', async () => {
    const env = await home();
    const r = await runCli(['status'], env);
    const recent = r.stdout.split('\n').filter((l) => / gateway_down | channel_down /.test(l));
    expect(recent).toHaveLength(2);
    expect(r.stdout).not.toContain('line 3');
    expect(r.stdout).not.toContain('\nrecent    2026 forged_event');
    expect(r.stdout).not.toMatch(ESCAPES);
    const v = await runCli(['status', '--verbose'], env);
    for (const l of evidence) expect(v.stdout).toContain(`| ${l}\n`);
    expect(v.stdout).not.toMatch(ESCAPES);
    const json = await runCli(['status', '--json'], env);
    expect(JSON.parse(json.stdout).recentEvents).toEqual([down, channel]);
  });
});
