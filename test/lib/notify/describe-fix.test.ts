import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../src/lib/notify/describe.js';

describe('describeEvent: alerts name the thing, the value and the fix', () => {
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

  it('port_conflict says how to free the port', () => {
    const line = describeEvent({
      level: 'error',
      event: 'port_conflict',
      pid: 4242,
      name: 'python3',
      verdict: 'not-openclaw',
      holder: 'foreign',
    });
    expect(line).toBe(
      'port held by another program (pid 4242, python3); not touching it: stop it, or give this gateway another port (gateway.port in openclaw.json)',
    );
  });
});
