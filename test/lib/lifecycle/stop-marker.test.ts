import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TAIL_BYTES,
  lastLifecycleLine,
  parseLifecycleLine,
  readLastLifecycle,
  restartLogPath,
} from '../../../src/lib/lifecycle/stop-marker.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';

afterEach(removeTempDirs);

// As OpenClaw 2026.9.6 writes them (dist/restart-logs-*.mjs appendGatewayLifecycleAuditLog).
const STOP =
  '[2026-11-26T10:00:00.123Z] openclaw gateway lifecycle source=cli action=stop mode=sigterm pid=4242 interactive=0';
const RESTART =
  '[2026-11-26T10:05:00.000Z] openclaw gateway lifecycle source=cli action=restart mode=rpc interactive=0';

function stateDirWith(text: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'logs'));
  writeFileSync(restartLogPath(dir), text);
  return dir;
}

describe('gateway-restart.log', () => {
  it('parses lifecycle lines; anything else (hand-off script output) is skipped', () => {
    expect(parseLifecycleLine(STOP)).toEqual({
      at: Date.parse('2026-11-26T10:00:00.123Z'),
      action: 'stop',
      pid: 4242,
    });
    expect(parseLifecycleLine(RESTART)).toMatchObject({ action: 'restart', pid: null });
    expect(parseLifecycleLine('[x] openclaw gateway lifecycle action=stop')).toBeNull();
    expect(parseLifecycleLine('Restarting openclaw-gateway.service…')).toBeNull();
    expect(lastLifecycleLine(`${RESTART}\n${STOP}\nsome script output\n`)).toMatchObject({
      action: 'stop',
    });
    expect(lastLifecycleLine(`${STOP}\n${RESTART}\n`)).toMatchObject({ action: 'restart' });
  });

  it('reads only the end of a large log', () => {
    const dir = stateDirWith(`${STOP}\n`);
    appendFileSync(restartLogPath(dir), `${'x'.repeat(TAIL_BYTES + 10)}\n`);
    expect(readLastLifecycle(dir)).toBeNull(); // the stop is beyond the tail
    appendFileSync(restartLogPath(dir), `${RESTART}\n`);
    expect(readLastLifecycle(dir)).toMatchObject({ action: 'restart' });
  });

  it('missing: null; never through a symlink', () => {
    expect(readLastLifecycle(tempDir())).toBeNull();
    const real = stateDirWith(`${STOP}\n`);
    expect(readLastLifecycle(real)).toMatchObject({ action: 'stop' });
    const linked = tempDir();
    mkdirSync(join(linked, 'logs'));
    symlinkSync(restartLogPath(real), restartLogPath(linked));
    expect(readLastLifecycle(linked)).toBeNull();
  });
});
