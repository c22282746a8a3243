import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeTooOld } from '../../src/lib/node-version.js';
import { CLI } from '../helpers/processes.js';

describe('started on an older Node than OpenClaw needs', () => {
  it('one line naming the version and that OpenClaw needs >= 24.16; nothing on 24.16 and later', () => {
    expect(nodeTooOld('v24.16.0')).toBeNull();
    expect(nodeTooOld('v24.21.0')).toBeNull();
    expect(nodeTooOld('v25.0.0')).toBeNull();
    for (const old of ['v24.15.9', 'v22.12.0', 'v20.20.2']) {
      const line = nodeTooOld(old)!;
      expect(line).toContain(`Node ${old}`);
      expect(line).toContain('24.16, which OpenClaw needs');
      expect(line).not.toContain('\n');
    }
  });

  // The machine's own older Node, when it has one: the bundle still runs (degraded), with the line.
  const other = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
  const version = other.status === 0 ? other.stdout.trim() : null;
  it.skipIf(!version || nodeTooOld(version) === null)(
    `runs degraded on ${version ?? 'an older Node'}: the line on stderr, the command still works`,
    () => {
      const r = spawnSync('/usr/bin/node', [CLI, 'probe', '--port', '1', '--json'], {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' },
      });
      expect(r.stderr.trim().split('\n')).toEqual([nodeTooOld(version!)]);
      expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'refused' });
    },
  );
});
