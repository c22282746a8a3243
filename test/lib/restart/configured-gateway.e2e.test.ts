// The spawned gateway is the configured one: `check --state-dir DIR` / `--profile NAME` start a
// gateway that reads DIR's (the profile's) openclaw.json, not ~/.openclaw's. The stand-in `openclaw`
// (test/fixtures/openclaw-cli.mjs) resolves its config as OpenClaw does and, like it, exits 78
// "Missing config" when there is none where it looks.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openclawPathEnv } from '../../../src/lib/restart/environment.js';
import { probeGateway } from '../../../src/lib/probe/index.js';
import { bareEnv, runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/dirs.js';
import { freePort } from '../../helpers/net.js';
import { ROOT } from '../../helpers/processes.js';
import { FAST, fakeGatewayCommand } from '../../helpers/watchdog-home.js';
import { cleanUp } from '../../helpers/teardown.js';

afterEach(cleanUp);

/** A HOME with the stand-in `openclaw` on PATH and no ~/.openclaw config at all. */
function userHome() {
  const home = tempDir();
  const bin = join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(join(ROOT, 'test', 'fixtures', 'openclaw-cli.mjs'), join(bin, 'openclaw'));
  const envFile = join(home, 'gateway-env.json');
  const env = bareEnv(home, {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    FAKE_OPENCLAW_REQUIRE_CONFIG: '1',
    FAKE_GATEWAY_FLAGS: `--env-file ${envFile}`,
  });
  const gatewayEnv = () => JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>;
  return { home, env, envFile, gatewayEnv };
}

/** A state dir with an openclaw.json holding a port and a token only this config has. */
async function stateDir(dir: string, token: string, settings: Record<string, unknown> = FAST) {
  const port = await freePort();
  mkdirSync(join(dir, 'watchdog'), { recursive: true });
  writeFileSync(
    join(dir, 'openclaw.json'),
    `{ gateway: { mode: 'local', port: ${port}, auth: { mode: 'token', token: '${token}' } } }`,
  );
  writeFileSync(join(dir, 'watchdog', 'config.json'), JSON.stringify(settings));
  return port;
}

/** Proves which config the gateway on `port` runs with: it accepts `token` and no other. */
async function acceptsOnly(port: number, token: string) {
  const deep = (t: string) =>
    probeGateway({ host: '127.0.0.1', port, timeoutMs: 2000, deep: { token: t, version: '0' } });
  expect((await deep(token)).steps.deep).toMatchObject({ ok: true });
  expect((await deep('not-this-one')).steps.deep).toMatchObject({ code: 'AUTH_TOKEN_MISMATCH' });
}

/** The one line a check that restarted the gateway prints (check-line.ts). */
const RESTARTED = /^openclaw-watchdog: down: nothing listens on the port; restarted \(/;

describe('the spawned gateway is the configured one', () => {
  it('check --state-dir DIR: `openclaw gateway run` gets OPENCLAW_STATE_DIR / OPENCLAW_CONFIG_PATH and runs with DIR/openclaw.json', async () => {
    const u = userHome();
    const dir = join(u.home, 'elsewhere', 'state');
    const port = await stateDir(dir, 'token-of-dir');
    const r = await runCli(['check', '--state-dir', dir], u.env);
    expect(r).toMatchObject({ code: 0, stderr: expect.stringMatching(RESTARTED) });
    expect(u.gatewayEnv()).toMatchObject({
      OPENCLAW_STATE_DIR: dir,
      OPENCLAW_CONFIG_PATH: join(dir, 'openclaw.json'),
    });
    await acceptsOnly(port, 'token-of-dir');
  });

  it('check --profile work: OPENCLAW_PROFILE too, and ~/.openclaw-work/openclaw.json wins over ~/.openclaw', async () => {
    const u = userHome();
    await stateDir(join(u.home, '.openclaw'), 'token-of-default');
    const port = await stateDir(join(u.home, '.openclaw-work'), 'token-of-work');
    const r = await runCli(['check', '--profile', 'work'], u.env);
    expect(r).toMatchObject({ code: 0, stderr: expect.stringMatching(RESTARTED) });
    expect(u.gatewayEnv()).toMatchObject({
      OPENCLAW_PROFILE: 'work',
      OPENCLAW_STATE_DIR: join(u.home, '.openclaw-work'),
      OPENCLAW_CONFIG_PATH: join(u.home, '.openclaw-work', 'openclaw.json'),
    });
    await acceptsOnly(port, 'token-of-work');
  });

  it('restart.command gets the same variables', async () => {
    const u = userHome();
    const dir = join(u.home, 'state-b');
    const port = await freePort();
    const envFile = join(u.home, 'command-env.json');
    await stateDir(dir, 'unused', {
      ...FAST,
      gateway: { port },
      restart: { ...FAST.restart, command: fakeGatewayCommand(port, ['--env-out', envFile]) },
    });
    const r = await runCli(['check', '--state-dir', dir], u.env);
    expect(r).toMatchObject({ code: 0, stderr: expect.stringMatching(RESTARTED) });
    expect(JSON.parse(readFileSync(envFile, 'utf8'))).toMatchObject({
      OPENCLAW_STATE_DIR: dir,
      OPENCLAW_CONFIG_PATH: join(dir, 'openclaw.json'),
    });
  });

  it('openclawPathEnv: absolute paths; OPENCLAW_PROFILE only for a named profile', () => {
    expect(
      openclawPathEnv({ profile: null, stateDir: 'rel/state', openclawConfig: 'rel/state/x.json' }),
    ).toEqual({
      OPENCLAW_STATE_DIR: join(process.cwd(), 'rel/state'),
      OPENCLAW_CONFIG_PATH: join(process.cwd(), 'rel/state/x.json'),
    });
    expect(openclawPathEnv({ profile: 'b', stateDir: '/s', openclawConfig: '/c' })).toEqual({
      OPENCLAW_PROFILE: 'b',
      OPENCLAW_STATE_DIR: '/s',
      OPENCLAW_CONFIG_PATH: '/c',
    });
  });
});
