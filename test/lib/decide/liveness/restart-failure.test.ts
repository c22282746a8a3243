import { describe, expect, it } from 'vitest';
import {
  CONFIG_EXIT,
  lastLine,
  restartFailureLine,
  restartHint,
} from '../../../../src/lib/decide/liveness/restart-failure.js';

describe('restart-failure: what a failed restart says', () => {
  it('exit 78 is configuration trouble; without gateway.mode it names the fix; other exits say nothing', () => {
    expect(restartHint({ exitCode: CONFIG_EXIT, output: 'Invalid config' })).toMatch(
      /^exit 78: OpenClaw configuration trouble .*restarting will not fix it$/,
    );
    expect(restartHint({ exitCode: CONFIG_EXIT })).toMatch(/configuration trouble/);
    for (const output of ['Missing config. Run openclaw setup', 'error: MISSING GATEWAY.MODE'])
      expect(restartHint({ exitCode: CONFIG_EXIT, output })).toMatch(
        /^exit 78: openclaw\.json has no gateway\.mode .*`openclaw setup`$/,
      );
    expect(restartHint({ exitCode: 1, output: 'Missing config' })).toBeNull();
    expect(restartHint({ exitCode: null })).toBeNull();
  });

  it('exit 78 because another OpenClaw process (doctor) owns the state dir and the start needs a migration: it names that, not configuration trouble (real 2026.9.6 output)', () => {
    const output =
      'Gateway failed to start: Doctor could not enter maintenance. StateDatabaseCoordinatorContentionError: another OpenClaw process owns gateway-lifecycle; this start requires state migration';
    const hint = restartHint({ exitCode: CONFIG_EXIT, output });
    expect(hint).toMatch(/another OpenClaw process .*doctor.*state migration/);
    expect(hint).not.toMatch(/configuration trouble|will not fix/);
    expect(restartHint({ exitCode: 1, output })).toBeNull();
  });

  it('the last line: the last non-blank line, trimmed, at most 300 characters', () => {
    expect(lastLine('first\n  second  \n\n  \n')).toBe('second');
    expect(lastLine(undefined)).toBe('');
    expect(lastLine('\n \n')).toBe('');
    expect(lastLine(`${'x'.repeat(400)}`)).toBe('x'.repeat(300));
  });

  it('one line: how it failed (signal before exit code, then the error), then the last output line', () => {
    expect(restartFailureLine({ method: 'openclaw', exitCode: 1, output: 'a\nboom\n' })).toBe(
      'restart failed (openclaw): exit 1: boom',
    );
    expect(restartFailureLine({ method: 'command', exitCode: 0, signal: 'SIGKILL' })).toBe(
      'restart failed (command): killed by SIGKILL',
    );
    expect(restartFailureLine({ method: 'command', exitCode: 0 })).toBe(
      'restart failed (command): exit 0',
    );
    expect(restartFailureLine({ method: 'systemd', exitCode: null, error: 'spawn ENOENT' })).toBe(
      'restart failed (systemd): spawn ENOENT',
    );
    expect(restartFailureLine({ method: 'systemd', exitCode: 2, error: 'timeout' })).toBe(
      'restart failed (systemd): exit 2, timeout',
    );
    expect(restartFailureLine({ method: 'none' })).toBe('restart failed (none): no answer');
  });
});
