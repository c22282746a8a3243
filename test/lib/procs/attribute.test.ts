import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realPathFn } from '../../../src/lib/procs/facts.js';
import { tempDir } from '../../helpers/dirs.js';
import { attribute, parseEnviron, type GatewayIdentity } from '../../../src/lib/procs/attribute.js';
import { lockNames } from '../../../src/lib/procs/gateway-lock.js';

const me: GatewayIdentity = {
  port: 18789,
  stateDir: '/home/a/.openclaw',
  profile: null,
  configPath: '/home/a/.openclaw/openclaw.json',
};
const env = (e: Record<string, string>) => ({ args: ['openclaw-gateway'], env: e });

describe('attribute', () => {
  it('the port it listens on beats an inherited OPENCLAW_GATEWAY_PORT or --port; those count only while it listens nowhere', () => {
    const inherited = { OPENCLAW_GATEWAY_PORT: '18789', HOME: '/home/a' };
    expect(attribute({ ...env(inherited), listenPorts: [41984] }, me)).toBe('other');
    expect(attribute({ ...env(inherited), listenPorts: [] }, me)).toBe('ours');
    const told = { args: ['x', '--port', '1'], env: { HOME: '/home/a' }, listenPorts: [18789] };
    expect(attribute(told, me)).toBe('ours');
  });

  it('another state dir is never ours, whatever its port; the port alone needs a readable environment', () => {
    const onOurPort = (e: Record<string, string> | null) => ({
      args: ['openclaw-gateway'],
      env: e,
      listenPorts: [18789],
    });
    expect(attribute(onOurPort({ OPENCLAW_STATE_DIR: '/srv/b', HOME: '/home/a' }), me)).toBe(
      'other',
    );
    expect(attribute({ ...onOurPort({}), openStateDirs: ['/home/a/.openclaw-b'] }, me)).toBe(
      'other',
    );
    expect(attribute(onOurPort({ HOME: '/home/a' }), me)).toBe('ours');
    expect(attribute(onOurPort(null), me)).toBe('unknown');
    // A helper of another profile that inherited our port from the user's shell.
    const helper = { OPENCLAW_GATEWAY_PORT: '18789', OPENCLAW_STATE_DIR: '/home/a/.openclaw-b' };
    expect(attribute(env(helper), me)).toBe('other');
  });

  it('paths compare by realpath on both sides (a symlinked ~/.openclaw)', () => {
    const real = (p: string) => p.replace('/home/a/.openclaw', '/disk2/openclaw');
    const open = { args: ['openclaw-gateway'], env: { HOME: '/home/a' } };
    expect(attribute({ ...open, openStateDirs: ['/disk2/openclaw'] }, me, real)).toBe('ours');
    expect(attribute({ ...open, openStateDirs: ['/disk2/openclaw'] }, me)).toBe('other');
    expect(attribute(env({ HOME: '/home/a' }), me, real)).toBe('unknown');
  });

  it('by port: --port (before the title overwrites argv) wins over OPENCLAW_GATEWAY_PORT', () => {
    const args = ['node', 'openclaw', 'gateway', 'run', '--port', '18789'];
    expect(attribute({ args, env: { OPENCLAW_GATEWAY_PORT: '1' } }, me)).toBe('ours');
    expect(attribute({ args: ['x', '--port=20000'], env: null }, me)).toBe('other');
    expect(attribute(env({ OPENCLAW_GATEWAY_PORT: '127.0.0.1:18789' }), me)).toBe('ours');
    expect(attribute(env({ OPENCLAW_GATEWAY_PORT: '41984', HOME: '/home/a' }), me)).toBe('other');
  });

  it('by state dir: the state database it holds open, OPENCLAW_STATE_DIR, a profile under HOME', () => {
    const open = (dirs: string[]) => ({
      args: ['openclaw-gateway'],
      env: { HOME: '/home/a' },
      openStateDirs: dirs,
    });
    expect(attribute(open(['/home/a/.openclaw']), me)).toBe('ours');
    expect(attribute(open(['/home/a/.openclaw-kt']), me)).toBe('other');
    expect(attribute(env({ OPENCLAW_STATE_DIR: '/home/a/.openclaw/' }), me)).toBe('ours');
    expect(attribute(env({ OPENCLAW_STATE_DIR: '/srv/b', HOME: '/home/a' }), me)).toBe('other');
    expect(attribute(env({ HOME: '/home/a', OPENCLAW_PROFILE: 'work' }), me)).toBe('other');
    const work = { ...me, profile: 'work', stateDir: '/home/a/.openclaw-work' };
    const args = ['openclaw', '--profile', 'work'];
    expect(attribute({ args, env: { HOME: '/home/a' } }, work)).toBe('ours');
  });

  it('HOME alone (`openclaw --profile X` never shows X in environ): unknown under that HOME, else other', () => {
    expect(attribute(env({ HOME: '/home/a' }), me)).toBe('unknown');
    expect(attribute(env({ HOME: '/x', OPENCLAW_HOME: '/home/a' }), me)).toBe('unknown');
    const work = { ...me, profile: 'work', stateDir: '/home/a/.openclaw-work' };
    expect(attribute(env({ HOME: '/home/a' }), work)).toBe('unknown');
    expect(attribute(env({ HOME: '/home/b' }), me)).toBe('other');
    expect(attribute(env({ HOME: '/home/a' }), { ...me, stateDir: '/srv/a' })).toBe('other');
  });

  it('by config path only when nothing else shows; unknown when nothing can be read', () => {
    expect(attribute(env({ OPENCLAW_CONFIG_PATH: me.configPath }), me)).toBe('ours');
    expect(attribute(env({ OPENCLAW_CONFIG_PATH: '/b/openclaw.json' }), me)).toBe('other');
    expect(attribute(env({}), me)).toBe('unknown');
    expect(attribute({ args: ['openclaw-gateway'], env: null }, me)).toBe('unknown');
  });

  it('parses /proc/<pid>/environ', () => {
    expect(parseEnviron('HOME=/h\0A=b=c\0\0')).toEqual({ HOME: '/h', A: 'b=c' });
  });
});

describe('lockNames (the gateway lock, validated)', () => {
  const lock = { pid: 7, port: 18789, startTime: 555 };
  const proc = { pid: 7, startTicks: 555, uid: 1000 };
  it('same pid, start time (clock ticks), port and uid: ours', () => {
    expect(lockNames(lock, proc, 18789, 1000)).toBe(true);
  });
  it('a reused pid, no start time, another port, another user: not ours', () => {
    expect(lockNames(lock, { ...proc, startTicks: 556 }, 18789, 1000)).toBe(false);
    expect(lockNames({ ...lock, startTime: null }, proc, 18789, 1000)).toBe(false);
    expect(lockNames(lock, proc, 18790, 1000)).toBe(false);
    expect(lockNames(lock, { ...proc, uid: 0 }, 18789, 1000)).toBe(false);
    expect(lockNames(lock, null, 18789, 1000)).toBe(false);
  });
});

describe('realPathFn', () => {
  it('resolves symlinks, also under a path that does not exist yet', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'disk2'));
    symlinkSync(join(dir, 'disk2'), join(dir, '.openclaw'));
    const real = realPathFn();
    const disk = realpathSync(join(dir, 'disk2'));
    expect(real(join(dir, '.openclaw'))).toBe(disk);
    expect(real(join(dir, '.openclaw', 'state', 'none'))).toBe(join(disk, 'state', 'none'));
  });
});

describe('attribute: the edges', () => {
  it('any one of the state databases it holds open being ours makes it ours', () => {
    const open = { args: ['openclaw-gateway'], env: { HOME: '/home/a' } };
    expect(
      attribute({ ...open, openStateDirs: ['/home/a/.openclaw-b', '/home/a/.openclaw'] }, me),
    ).toBe('ours');
  });

  it('profile "default" is the default state dir, not a profile named so', () => {
    expect(attribute(env({ HOME: '/home/a', OPENCLAW_PROFILE: 'default' }), me)).toBe('unknown');
    const args = ['openclaw', '--profile', 'default'];
    expect(attribute({ args, env: { HOME: '/home/a' } }, me)).toBe('unknown');
  });

  it('HOME alone: only a dir named exactly .openclaw, .clawdbot or .openclaw-<profile> may be one of its dirs', () => {
    for (const dir of ['/home/a/x.openclaw', '/home/a/.openclawx', '/home/a/.clawdbot2'])
      expect(attribute(env({ HOME: '/home/a' }), { ...me, stateDir: dir })).toBe('other');
    for (const dir of ['/home/a/.clawdbot', '/home/a/.openclaw-w'])
      expect(attribute(env({ HOME: '/home/a' }), { ...me, stateDir: dir })).toBe('unknown');
  });

  it('HOME alone: its default dirs through a symlink (realpath elsewhere) may still be this state dir', () => {
    for (const name of ['.openclaw', '.clawdbot']) {
      const real = (p: string) => (p === `/home/a/${name}` ? '/disk2/oc' : p);
      const there = { ...me, stateDir: '/disk2/oc' };
      expect(attribute(env({ HOME: '/home/a' }), there, real)).toBe('unknown');
    }
    expect(attribute(env({ HOME: '/home/a' }), { ...me, stateDir: '/disk2/oc' })).toBe('other');
  });

  it('parseEnviron skips an entry with no name (=value)', () => {
    expect(parseEnviron('=x\0A=1')).toEqual({ A: '1' });
  });
});
