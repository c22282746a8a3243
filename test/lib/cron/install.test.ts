import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_BEGIN, LEGACY_END, parseCrontab } from '../../../src/lib/cron/block.js';
import {
  blockStateDir,
  dedupePath,
  fragileLocation,
  refuseControlCharacters,
} from '../../../src/lib/cron/install.js';
import { UsageError } from '../../../src/lib/errors.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

describe('install-cron planning', () => {
  it('refuses a control character in a flag or a carried variable, naming it', () => {
    const env = { HOME: '/h', PATH: '/usr/bin' };
    expect(() => refuseControlCharacters({ 'state-dir': '/x\n* * * * * evil' }, env)).toThrow(
      UsageError,
    );
    expect(() => refuseControlCharacters({ 'state-dir': '/x\n* * * * * evil' }, env)).toThrow(
      /^--state-dir: control characters \(newline, tab, …\) are not allowed in what cron runs, got "\/x\\n\* \* \* \* \* evil"$/,
    );
    expect(() => refuseControlCharacters({ config: '/c\r' }, env)).toThrow(/^--config: /);
    expect(() => refuseControlCharacters({}, { ...env, PATH: '/a\n/b' })).toThrow(/^PATH: /);
    expect(() => refuseControlCharacters({}, { ...env, OPENCLAW_PROFILE: 'a\tb' })).toThrow(
      /^OPENCLAW_PROFILE: /,
    );
    expect(() => refuseControlCharacters({}, { ...env, HOME: '/h\u0085' })).toThrow(/^HOME: /);
    expect(() => refuseControlCharacters({ 'state-dir': '/a b/ü' }, env)).not.toThrow();
  });

  it('dedupes PATH, keeping the first of each and dropping empty entries', () => {
    expect(dedupePath('/a/bin:/usr/bin::/bin:/a/bin:/usr/bin:')).toBe('/a/bin:/usr/bin:/bin');
  });

  it('notices a CLI inside a git checkout (dir or worktree file) or npx cache', () => {
    const root = tempDir();
    const cli = join(root, 'repo', 'dist', 'cli.js');
    mkdirSync(join(root, 'repo', 'dist'), { recursive: true });
    expect(fragileLocation(cli)).toBeNull();
    writeFileSync(join(root, 'repo', '.git'), 'gitdir: /elsewhere\n');
    expect(fragileLocation(cli)).toEqual({ kind: 'checkout', dir: join(root, 'repo') });
    expect(fragileLocation('/home/me/.npm/_npx/1a2b/node_modules/x/dist/cli.js')?.kind).toBe('npx');
  });

  it('reads the state dir an old single block watched from its command line', () => {
    const old = (cmd: string) =>
      parseCrontab(`${LEGACY_BEGIN}\n* * * * * ${cmd}\n${LEGACY_END}\n`).blocks[0]!;
    const env = { HOME: '/home/me' };
    expect(blockStateDir(old('PATH=/a /n /c.js check'), env)).toBe('/home/me/.openclaw');
    expect(blockStateDir(old('PATH=/a /n /c.js check --profile b'), env)).toBe(
      '/home/me/.openclaw-b',
    );
    expect(blockStateDir(old(`PATH=/a /n /c.js check --state-dir '/s p/100\\%'`), env)).toBe(
      '/s p/100%',
    );
    expect(blockStateDir(old('OPENCLAW_STATE_DIR=/s2 /n /c.js check'), env)).toBe('/s2');
  });
});
