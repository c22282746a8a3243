import {
  appendFileSync,
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayEnv, systemdUserEnv } from '../../../src/lib/restart/environment.js';
import { findOpenclaw } from '../../../src/lib/restart/find-openclaw.js';
import { tailSince, trimLog } from '../../../src/lib/restart/spawn.js';
import { findUnit, unitName } from '../../../src/lib/restart/systemd.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

function exe(file: string) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
}

describe('findOpenclaw', () => {
  it('prefers the configured path, then PATH, then user-space npm locations (newest nvm first)', () => {
    const home = tempDir();
    exe(join(home, '.nvm/versions/node/v20.1.0/bin/openclaw'));
    exe(join(home, '.nvm/versions/node/v24.21.0/bin/openclaw'));
    expect(findOpenclaw(null, home, { PATH: '/nonexistent' })).toBe(
      join(home, '.nvm/versions/node/v24.21.0/bin/openclaw'),
    );
    exe(join(home, '.npm-global/bin/openclaw'));
    expect(findOpenclaw(null, home, { PATH: '/nonexistent' })).toBe(
      join(home, '.npm-global/bin/openclaw'),
    );
    exe(join(home, 'mybin/openclaw'));
    expect(findOpenclaw(null, home, { PATH: join(home, 'mybin') })).toBe(
      join(home, 'mybin/openclaw'),
    );
    expect(findOpenclaw('/nonexistent/openclaw', home, {})).toBeNull();
  });
});

describe('environment', () => {
  it('strips every supervisor marker and puts the given dirs first on PATH', () => {
    const env = gatewayEnv(
      {
        PATH: '/usr/bin:/bin',
        INVOCATION_ID: '1',
        JOURNAL_STREAM: '2',
        SYSTEMD_EXEC_PID: '3',
        OPENCLAW_SYSTEMD_UNIT: 'u',
        OPENCLAW_SERVICE_MARKER: 'openclaw',
        OPENCLAW_SERVICE_KIND: 'gateway',
        KEEP: 'k',
      },
      ['/opt/node/bin'],
    );
    expect(env).toEqual({ PATH: '/opt/node/bin:/usr/bin:/bin', KEEP: 'k' });
  });

  it('gives systemctl --user the runtime dir and bus cron lacks, keeping ones already set', () => {
    expect(systemdUserEnv({}, 1000)).toMatchObject({
      XDG_RUNTIME_DIR: '/run/user/1000',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
    });
    expect(
      systemdUserEnv({ XDG_RUNTIME_DIR: '/r', DBUS_SESSION_BUS_ADDRESS: 'x' }, 1000),
    ).toMatchObject({ XDG_RUNTIME_DIR: '/r', DBUS_SESSION_BUS_ADDRESS: 'x' });
  });
});

describe('systemd unit', () => {
  it('is openclaw-gateway.service, or -<profile>, and found only when installed', () => {
    expect(unitName(null)).toBe('openclaw-gateway.service');
    expect(unitName('work')).toBe('openclaw-gateway-work.service');
    const home = tempDir();
    expect(findUnit(home, {}, null)).toBeNull();
    mkdirSync(join(home, '.config/systemd/user'), { recursive: true });
    writeFileSync(join(home, '.config/systemd/user/openclaw-gateway-work.service'), '');
    expect(findUnit(home, {}, 'work')).toBe('openclaw-gateway-work.service');
  });
});

describe('trimLog', () => {
  it('copies a log past its cap to .1 and truncates it in place, so an O_APPEND writer carries on', () => {
    const file = join(tempDir(), 'gateway.log');
    const fd = openSync(file, 'a');
    writeSync(fd, 'x'.repeat(200));
    expect(trimLog(file, 100)).toBe(true);
    writeSync(fd, 'after\n');
    closeSync(fd);
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('x'.repeat(200));
    expect(readFileSync(file, 'utf8')).toBe('after\n');
    expect(trimLog(file, 100)).toBe(false);
  });
});

describe('tailSince', () => {
  it('returns the last lines written after the offset, without ANSI colours', () => {
    const file = join(tempDir(), 'gateway.log');
    writeFileSync(file, 'old line\n');
    const offset = 9;
    appendFileSync(
      file,
      '\u001b[31m2026-11-26T00:00:00Z [gateway] Invalid config at /x\u001b[0m\nline 2\n',
    );
    expect(tailSince(file, offset)).toBe(
      '2026-11-26T00:00:00Z [gateway] Invalid config at /x\nline 2',
    );
  });
});
