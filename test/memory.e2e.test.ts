import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProc } from '../src/lib/procs/table.js';
import { healthy, listener } from './helpers/gateways.js';
import { freePort } from './helpers/net.js';
import { isAlive, startFakeGateway, waitFor } from './helpers/processes.js';
import { cleanUp } from './helpers/teardown.js';
import { FAST, makeHome, withFakeRestart, type Home } from './helpers/watchdog-home.js';
import { readRpcLog } from './helpers/rpc-log.js';

afterEach(cleanUp);

const TOKEN = 'memory-test-token-1';
/** The fake gateway holds about 55 MiB idle; --rss-mb 200 puts it well above 120. */
const CEILING = { restartAboveMB: 120, warnAboveMB: 4000, sustainSec: 0, drainSec: 2 };

const rpcLog = (h: Home) => readRpcLog(join(h.dir, '..', 'rpc.jsonl'));

/** A gateway of this home (its lock in the state dir), with `flags`; resolves when healthy. */
async function gateway(h: Home, flags: string[]): Promise<number> {
  const args = ['--port', String(h.port), '--state-dir', h.stateDir, ...flags];
  const child = startFakeGateway([...args, '--rpc-log', join(h.stateDir, 'rpc.jsonl')], {
    env: h.own,
  });
  await waitFor(() => healthy(h.port), { what: 'gateway' });
  return child.pid!;
}

const restarts = (h: Home) => h.events().filter((e) => e.event === 'gateway_restart');

describe('memory ceiling: graceful restart of a real process', () => {
  it('with the token: straight to a clean stop and a start (one outage: in place never frees memory on 2026.9.6); write custody read first', async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), memory: CEILING });
    const pid = await gateway(h, [
      '--rss-mb',
      '200',
      '--rss-kept',
      '--restart-rpc',
      'scheduled',
      '--token',
      TOKEN,
    ]);
    const env = { OPENCLAW_GATEWAY_TOKEN: TOKEN };
    const r = await h.check(['--json'], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('degraded');
    // Never in place for memory: no gateway.restart.request; the status RPC (custody) first.
    const methods = rpcLog(h).map((c) => c.method);
    expect(methods).not.toContain('gateway.restart.request');
    expect(methods).toContain('status');
    expect(report.restart).toMatchObject({ method: 'command', result: 'healthy' });
    expect(h.eventNames()).toEqual(['memory_high', 'gateway_stopped', 'gateway_restart']);
    expect(h.events().find((e) => e.event === 'gateway_stopped')).toMatchObject({ killed: [] });
    expect(restarts(h)[0]).toMatchObject({ reason: 'memory' });
    expect(isAlive(pid)).toBe(false);
    const now = listener(h.port)!;
    expect(now).not.toBe(pid);
    expect(readProc(now)!.rssBytes).toBeLessThan(120 * 2 ** 20);
    expect(JSON.stringify(rpcLog(h))).not.toContain(TOKEN);
    for (let i = 0; i < 2; i++) expect((await h.check([], env)).code).toBe(0);
    expect(restarts(h)).toHaveLength(1);
  });

  it('never asks a gateway no lock of ours names: another profile on our port is left alone', async () => {
    const h = await makeHome();
    const settings = { ...FAST, restart: { ...FAST.restart, command: ['/bin/false'] } };
    h.configure({ ...settings, memory: CEILING });
    // Ours (A): started by the watchdog (state.spawned), over the ceiling, no lock, not on our port.
    const q = await freePort();
    const a = startFakeGateway(['--port', String(q), '--token', TOKEN, '--rss-mb', '200'], {
      env: h.env,
    }).pid!;
    await waitFor(() => healthy(q), { what: 'our gateway' });
    // Another profile's (B): same token, on our port, its lock in its own state dir.
    const other = join(h.dir, '..', '..', 'other-profile');
    mkdirSync(other, { recursive: true });
    const log = join(other, 'rpc.jsonl');
    const b = startFakeGateway(
      [
        '--port',
        String(h.port),
        '--state-dir',
        other,
        '--token',
        TOKEN,
        '--restart-rpc',
        'scheduled',
        '--rpc-log',
        log,
      ],
      { env: { ...h.env, OPENCLAW_STATE_DIR: other } },
    ).pid!;

    await waitFor(() => healthy(h.port), { what: 'the other gateway' });
    const ticks = readProc(a)!.startTicks;
    writeFileSync(
      join(h.dir, 'state.json'),
      JSON.stringify({
        version: 1,
        spawned: { pid: a, startTicks: ticks, at: Date.now(), method: 'command' },
      }),
    );
    await h.check(['--json'], { OPENCLAW_GATEWAY_TOKEN: TOKEN });
    const asked = (() => {
      try {
        return readFileSync(log, 'utf8');
      } catch {
        return '';
      }
    })();
    expect(h.eventNames()).toContain('memory_high');
    expect(asked).toContain('connect'); // it is logging: the probe's connect
    expect(asked).not.toContain('gateway.restart.request');
    expect(restarts(h).filter((e) => e.method === 'rpc')).toEqual([]);
    expect(listener(h.port)).toBe(b);
  });

  it('without a token: SIGTERM the gateway alone, then its tree, start, exactly one restart', async () => {
    const h = await makeHome();
    h.configure({ ...withFakeRestart(h.port), memory: CEILING });
    const pid = await gateway(h, [
      '--rss-mb',
      '200',
      '--restart-rpc',
      'scheduled',
      '--children',
      'openclaw-mcp-a',
    ]);
    const child = await waitFor(() => childTitled(pid, 'openclaw-mcp-a'), { what: 'its child' });
    const r = await h.check(['--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.restart).toMatchObject({ method: 'command', result: 'healthy' });
    expect(report.restart.pid).not.toBe(pid);
    expect(h.eventNames()).toEqual(['memory_high', 'gateway_stopped', 'gateway_restart']);
    expect(h.events().find((e) => e.event === 'gateway_stopped')).toMatchObject({
      reason: 'memory',
      killed: [],
    });
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(child)).toBe(false);
    expect(rpcLog(h).filter((c) => c.method === 'gateway.restart.request')).toEqual([]);
    for (let i = 0; i < 2; i++) expect((await h.check()).code).toBe(0);
    expect(restarts(h)).toHaveLength(1);
  });
});

/** The pid of a child of `parent` titled `title`. */
function childTitled(parent: number, title: string): number | null {
  const children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8');
  for (const word of children.split(' ').filter(Boolean)) {
    const p = readProc(Number(word));
    if (p?.title === title) return p.pid;
  }
  return null;
}

describe('leaking children and event-loop lag: alerts only', () => {
  it('children_high once, with counts by command name, and the status lines', async () => {
    const h = await makeHome({ ...FAST, children: { warnCount: 2 } });
    const pid = await gateway(h, ['--children', 'openclaw-mcp-a,openclaw-mcp-a,openclaw-mcp-b']);
    await waitFor(() => childTitled(pid, 'openclaw-mcp-b'), { what: 'its children' });
    await waitFor(
      () =>
        readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').length === 3,
      { what: 'three children' },
    );
    expect((await h.check()).code).toBe(0);
    expect((await h.check()).code).toBe(0);
    const alerts = h.events().filter((e) => e.event === 'children_high');
    expect(alerts).toEqual([
      expect.objectContaining({
        count: 3,
        warnCount: 2,
        byName: [
          { name: 'openclaw-mcp-a', count: 2 },
          { name: 'openclaw-mcp-b', count: 1 },
        ],
      }),
    ]);
    expect(listener(h.port)).toBe(pid);
    const { runCli } = await import('./helpers/cli.js');
    const status = await runCli(['status'], h.env);
    expect(status.stdout).toMatch(
      /^children {2}3 \(openclaw-mcp-a 2, openclaw-mcp-b 1\); warn above 2; high since /m,
    );
    expect(status.stdout).toMatch(
      /^memory {4}\d+ MiB \(gateway \d+ MiB\); warn above \d+ MiB, restart above \d+ MiB$/m,
    );
  });

  it('event_loop_lag after three lagging checks, once, never a restart', async () => {
    const h = await makeHome(FAST);
    const control = join(h.stateDir, 'control.json');
    writeFileSync(
      control,
      JSON.stringify({ readyz: { eventLoop: { delayP99Ms: 1800, delayMaxMs: 2500 } } }),
    );
    const pid = await gateway(h, ['--control', control]);
    for (let i = 0; i < 4; i++) expect((await h.check()).code).toBe(0);
    // No gateway token in this home: channels_unchecked is said once, beside.
    const events = h.events().filter((e) => e.event !== 'channels_unchecked');
    expect(events.map((e) => e.event)).toEqual(['event_loop_lag']);
    expect(events[0]).toMatchObject({ p99Ms: 1800, maxMs: 2500, warnMs: 1000, checks: 3 });
    const { runCli } = await import('./helpers/cli.js');
    expect((await runCli(['status'], h.env)).stdout).toMatch(
      /^loop {6}p99 1800 ms, max 2500 ms; warn above 1000 ms; lagging 3 checks in a row$/m,
    );
    expect(listener(h.port)).toBe(pid);
  });
});
