import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { healthy } from './helpers/gateways.js';
import { killTracked, startFakeGateway, waitFor } from './helpers/processes.js';
import { startReceiver, closeReceivers, keepReceiver } from './helpers/receiver.js';
import { removeTempDirs } from './helpers/dirs.js';
import { FAST, makeHome, type Home } from './helpers/watchdog-home.js';

/** Events besides `channels_unchecked` (these homes have no gateway token: said once). */
const evs = (h: { events(): Record<string, unknown>[] }) =>
  h.events().filter((e) => e.event !== 'channels_unchecked');
const names = (h: { events(): Record<string, unknown>[] }) => evs(h).map((e) => String(e.event));

const mounts: string[] = [];
afterEach(async () => {
  killTracked();
  for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir]);
  removeTempDirs();
  await closeReceivers();
});

const isRoot = process.getuid?.() === 0;

/** Sessions of the gateway's own, in its state dir: what the alert should name first. */
function sessions(stateDir: string, files: number, bytes: number): void {
  const dir = join(stateDir, 'agents', 'main', 'sessions');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `s${i}.jsonl`), 'x'.repeat(bytes));
}

async function healthyGateway(h: Home): Promise<void> {
  startFakeGateway(['--port', String(h.port)], { env: h.own });
  await waitFor(() => healthy(h.port), { what: 'gateway' });
}

describe('disk', () => {
  it.runIf(isRoot)(
    'a state dir on a small tmpfs (below disk.warnFreePercent; MiB do not count on a tmpfs): disk_low once, alerted, with the largest dirs; status says LOW',
    async () => {
      const h = await makeHome();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', h.stateDir]);
      mounts.push(h.stateDir);
      mkdirSync(h.dir, { recursive: true });
      const hook = await startReceiver();
      keepReceiver(hook);
      const textfile = join(h.home, 'openclaw.prom');
      h.configure({
        ...FAST,
        notify: { webhooks: [{ url: hook.url }] },
        metrics: { textfile },
        disk: { warnFreePercent: 90, warnFreeMB: 1024 },
      });
      sessions(h.stateDir, 40, 50_000);
      await healthyGateway(h);
      expect(await h.check()).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(names(h)).toEqual(['disk_low']);
      const e = evs(h)[0]!;
      const fs = (e.filesystems as { paths: string[]; totalBytes: number }[])[0]!;
      expect(fs.paths).toEqual([h.stateDir]);
      expect(fs.totalBytes).toBe(8 * 1024 * 1024);
      expect((e.largest as { path: string }[])[0]).toMatchObject({
        path: join(h.stateDir, 'agents'),
        bytes: 2_000_000,
        truncated: false,
      });
      expect(hook.requests).toHaveLength(1);
      expect(hook.requests[0]!.body).toMatchObject({ event: 'disk_low', level: 'warn' });
      expect(String((hook.requests[0]!.body as { message: string }).message)).toMatch(
        /disk low: .* MiB free .*; largest: .*agents/,
      );
      expect(readFileSync(textfile, 'utf8')).toMatch(
        /^openclaw_watchdog_disk_low{gateway="default"} 1$/m,
      );
      // Once per incident.
      expect((await h.check()).code).toBe(0);
      expect(names(h)).toEqual(['disk_low']);
      expect(hook.requests).toHaveLength(1);
      const status = await runCli(['status'], h.env);
      expect(status.stdout).toMatch(new RegExp(`^disk .* free .* for ${h.stateDir}  LOW$`, 'm'));
    },
  );

  it("a threshold above the real free space: the state dir's and logging.file's filesystems are watched; 0 % and null turn it off", async () => {
    const h = await makeHome();
    const logDir = join(h.home, 'oc-logs');
    writeFileSync(
      join(h.stateDir, 'openclaw.json'),
      JSON.stringify({ logging: { file: join(logDir, 'openclaw.log') } }),
    );
    const free = statfsSync(h.home).bavail * statfsSync(h.home).bsize;
    const aboveMB = Math.ceil(free / 1024 / 1024) * 2;
    h.configure({ ...FAST, disk: { warnFreePercent: null, warnFreeMB: aboveMB } });
    await healthyGateway(h);
    expect((await h.check()).code).toBe(0);
    expect(names(h)).toEqual(['disk_low']);
    const paths = (evs(h)[0]!.filesystems as { paths: string[] }[]).flatMap((f) => f.paths);
    expect(paths).toEqual(expect.arrayContaining([h.stateDir, logDir]));
    const json = JSON.parse((await runCli(['status', '--json'], h.env)).stdout);
    expect(json.disk[0]).toMatchObject({ low: true });

    const off = await makeHome();
    off.configure({ ...FAST, disk: { warnFreePercent: 0, warnFreeMB: null } });
    startFakeGateway(['--port', String(off.port)], { env: off.own });
    await waitFor(() => healthy(off.port), { what: 'gateway' });
    expect((await off.check()).code).toBe(0);
    expect(names(off)).toEqual([]);
  });

  it.runIf(isRoot)(
    'one incident per filesystem: a log dir on a tmpfs low for good does not hide the state dir falling low later',
    async () => {
      const MiB = 1024 * 1024;
      const h = await makeHome();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,mode=0700', 'tmpfs', h.stateDir]);
      mounts.push(h.stateDir);
      const logDir = join(h.home, 'oc-logs');
      mkdirSync(logDir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', logDir]);
      mounts.push(logDir);
      mkdirSync(h.dir, { recursive: true });
      writeFileSync(
        join(h.stateDir, 'openclaw.json'),
        JSON.stringify({ logging: { file: join(logDir, 'openclaw.log') } }),
      );
      h.configure({ ...FAST }); // the defaults: 5 %, 1024 MiB (the MiB not on a tmpfs)
      writeFileSync(join(logDir, 'fill.bin'), Buffer.alloc(Math.round(15.5 * MiB)));
      await healthyGateway(h);
      expect((await h.check()).code).toBe(0);
      expect((await h.check()).code).toBe(0);
      expect(names(h)).toEqual(['disk_low']);
      const paths = (i: number) =>
        (evs(h)[i]!.filesystems as { paths: string[] }[]).flatMap((f) => f.paths);
      expect(paths(0)).toEqual([logDir]);
      // The state dir's filesystem falls to ~2 MiB free (3 %): its own incident, its own alert.
      writeFileSync(join(h.stateDir, 'fill.bin'), Buffer.alloc(62 * MiB));
      expect((await h.check()).code).toBe(0);
      expect((await h.check()).code).toBe(0);
      expect(names(h)).toEqual(['disk_low', 'disk_low']);
      expect(paths(1)).toEqual([h.stateDir]);
    },
  );
});
