import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../src/lib/notify/describe.js';

describe('describeEvent: record_failed (an alert)', () => {
  it('names the step, the file, the error and the fix, not just "record failed"', () => {
    const line = describeEvent({
      level: 'error',
      event: 'record_failed',
      step: 'state',
      file: '/home/me/.openclaw/watchdog/state.json',
      error: 'ENOSPC: no space left on device, write',
    });
    expect(line).toBe(
      'could not save state to /home/me/.openclaw/watchdog/state.json: ENOSPC: no space left on device, write; free space on its filesystem (df -h /home/me/.openclaw/watchdog/state.json) or fix its owner and mode',
    );
  });
});
