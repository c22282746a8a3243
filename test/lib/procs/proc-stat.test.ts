import { describe, expect, it } from 'vitest';
import { parseStat, parseUid, titleFromCmdline } from '../../../src/lib/procs/proc-stat.js';
import { readProc } from '../../../src/lib/procs/table.js';

describe('parseStat', () => {
  it('reads pid, name, state, ppid, start ticks and rss, even with spaces and ) in the name', () => {
    const line =
      '4358 (openclaw-gatewa) S 1 4358 4358 0 -1 4194560 1 0 0 0 5 1 0 0 20 0 11 0 42341 1234 2560 18446744073709551615';
    expect(parseStat(line)).toEqual({
      pid: 4358,
      name: 'openclaw-gatewa',
      state: 'S',
      ppid: 1,
      startTicks: 42341,
      rssPages: 2560,
    });
    const odd = '12 (a) b (c)) Z 7 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0';
    expect(parseStat(odd)).toMatchObject({
      pid: 12,
      name: 'a) b (c)',
      state: 'Z',
      ppid: 7,
      startTicks: 999,
    });
    expect(parseStat('garbage')).toBeNull();
  });

  it('parses the real /proc/self/stat of this process', () => {
    const me = readProc(process.pid);
    expect(me).toMatchObject({ pid: process.pid, ppid: process.ppid, uid: process.getuid!() });
    expect(me!.rssBytes).toBeGreaterThan(0);
  });
});

describe('parseUid / titleFromCmdline', () => {
  it('takes the real uid and argv[0]', () => {
    expect(parseUid('Name:\tx\nUid:\t1000\t1000\t1000\t1000\n')).toBe(1000);
    expect(parseUid('nothing')).toBeNull();
    expect(titleFromCmdline('node\0/x/openclaw.mjs\0gateway\0', 'node')).toBe('node');
    expect(titleFromCmdline('openclaw-gateway\0\0\0', 'x')).toBe('openclaw-gateway');
    expect(titleFromCmdline('', 'kworker')).toBe('kworker');
    // A title with arguments (exec -a, process.title) gives its first word only: never a secret.
    expect(titleFromCmdline('openclaw-tool --api-key=sk-1\0', 'x')).toBe('openclaw-tool');
  });
});
