import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRegular } from '../src/lib/store/regular-file.js';
import { runCli } from './helpers/cli.js';
import { healthy } from './helpers/gateways.js';
import { FAST, fakeGatewayCommand, makeHome } from './helpers/watchdog-home.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

const FILES = ['pause.json', 'outbox.json', 'state.json', 'events.jsonl', 'gateway.log'];

describe('a FIFO at one of the watchdog files never blocks a check', () => {
  it('readRegular refuses a FIFO at once (ENOTREG)', () => {
    const h = join(process.env.TMPDIR ?? '/tmp', `ocwd-fifo-${process.pid}-${Date.now()}`);
    execFileSync('mkfifo', [h]);
    try {
      expect(() => readRegular(h)).toThrow(expect.objectContaining({ code: 'ENOTREG' }));
    } finally {
      execFileSync('rm', ['-f', h]);
    }
  });

  it('FIFOs at pause.json, outbox.json, state.json, events.jsonl and gateway.log: check, status and events end; the gateway is started', async () => {
    const h = await makeHome({ ...FAST });
    h.configure({ ...FAST, restart: { ...FAST.restart, command: fakeGatewayCommand(h.port) } });
    for (const f of FILES) execFileSync('mkfifo', [join(h.dir, f)]);
    // The runs finish (a blocked open would hang them past these bounds, and SIGTERM does not end it).
    const check = await runCli(['check'], h.env, 45_000);
    expect(check.code, check.stderr).toBe(0);
    expect(await healthy(h.port)).toBe(true);
    const status = await runCli(['status', '--json'], h.env, 45_000);
    expect(status.code, status.stderr).toBe(0);
    const events = await runCli(['events'], h.env, 45_000);
    expect(events.code, events.stderr).toBe(0);
  });
});
