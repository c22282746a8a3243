import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/dirs.js';
import { healthy, listener } from './helpers/gateways.js';
import { CLI, isAlive, markedPids, startFakeGateway, track, waitFor } from './helpers/processes.js';
import { spawn } from 'node:child_process';
import { readProc } from '../src/lib/procs/table.js';
import { makeHome, withFakeRestart } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

describe('a healthy answer on our port from a gateway that is not ours', () => {
  it("another state dir's gateway on our port after ours died is a port_conflict, not healthy (issue 24 #1)", async () => {
    const h = await makeHome();
    // Our gateway writes its lock in our state dir, as OpenClaw does.
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    expect((await h.check()).code).toBe(0);
    const ours = await waitFor(() => listener(h.port), { what: 'our gateway' });
    process.kill(ours, 'SIGKILL');
    await waitFor(() => !isAlive(ours), { what: 'our gateway gone' });
    // Another state dir's gateway takes the port before the next check (its lock in its own dir).
    const otherDir = join(tempDir(), 'other-state');
    const other = startFakeGateway(['--port', String(h.port), '--state-dir', otherDir], {
      env: { ...h.env, OPENCLAW_STATE_DIR: otherDir },
    }).pid!;
    await waitFor(() => healthy(h.port), { what: 'the other gateway' });
    const before = h.events().length;
    const r = await h.check();
    const after = h.events().slice(before);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("another state dir's or profile's OpenClaw gateway");
    expect(after.map((e) => e.event)).not.toContain('gateway_recovered');
    expect(after.find((e) => e.event === 'port_conflict')).toMatchObject({
      pid: other,
      holder: 'other_gateway',
    });
    expect(h.state().lastVerdict).toBe('other-gateway');
    expect(isAlive(other)).toBe(true);
    // Said once per incident; never stopped.
    expect((await h.check()).code).toBe(1);
    expect(h.eventNames().filter((e) => e === 'port_conflict')).toHaveLength(1);
    expect(isAlive(other)).toBe(true);
  });

  it('our own gateway on the port, its lock valid, stays healthy (no conflict)', async () => {
    const h = await makeHome();
    h.configure(withFakeRestart(h.port, ['--state-dir', h.stateDir]));
    startFakeGateway(['--port', String(h.port), '--state-dir', h.stateDir], { env: h.own });
    await waitFor(() => healthy(h.port), { what: 'our gateway' });
    const r = await h.check();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(h.eventNames()).not.toContain('port_conflict');
  });

  it("another state dir's gateway takes our port while ours boots: verify does not call it ours (soak seed 77)", async () => {
    const h = await makeHome();
    // Ours boots slowly (listens after 3 s), as a loaded host or a big config makes it.
    const settings = withFakeRestart(h.port, ['--state-dir', h.stateDir, '--listen-after', '3000']);
    h.configure({ ...settings, lock: { staleSec: 30 } });
    const check = spawn(process.execPath, [CLI, 'check'], { env: h.env, stdio: 'ignore' });
    track(check.pid);
    const exited = new Promise<number | null>((resolve) => check.on('exit', (c) => resolve(c)));
    // Our gateway was started (it boots); then the other one binds the port first.
    await waitFor(() => markedPids().some((pid) => readProc(pid)?.title === 'openclaw-gateway'), {
      what: 'our gateway booting',
    });
    const otherDir = join(tempDir(), 'other-state');
    const other = startFakeGateway(['--port', String(h.port), '--state-dir', otherDir], {
      env: { ...h.env, OPENCLAW_STATE_DIR: otherDir },
    }).pid!;
    expect(await exited).toBe(1);
    const names = h.eventNames();
    expect(names).not.toContain('gateway_recovered');
    expect(h.events().find((e) => e.event === 'port_conflict')).toMatchObject({
      pid: other,
      holder: 'other_gateway',
    });
    expect(isAlive(other)).toBe(true);
  });
});
