import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { act } from '../../src/lib/act.js';
import type { Config } from '../../src/lib/config/load.js';
import { defaultSettings } from '../../src/lib/config/schema.js';
import type { Observed } from '../../src/lib/observe.js';
import { freshState } from '../../src/lib/store/state.js';
import type { ProcRef } from '../../src/lib/decide/types.js';
import { readStartTicks } from '../../src/lib/procs/table.js';
import { removeTempDirs, tempDir } from '../helpers/dirs.js';
import { answers, freePort } from '../helpers/net.js';
import { killTracked, startFakeGateway, waitFor } from '../helpers/processes.js';
import { readFileSync } from 'node:fs';

afterEach(() => {
  killTracked();
  removeTempDirs();
});

const TOKEN = 'tok-act-channel-0123456789';
const obs = { live: [], gateways: [] } as unknown as Observed;
const channelRestart = (gateway: ProcRef | null) => ({
  type: 'channel-restart' as const,
  channel: 'telegram',
  account: 'default',
  gateway,
});

async function gateway(dir: string) {
  const port = await freePort();
  writeFileSync(
    join(dir, 'control.json'),
    JSON.stringify({
      rpc: {
        'channels.stop': { ok: true, payload: { stopped: true } },
        'channels.start': { ok: true, payload: { started: true, outcome: { status: 'skipped' } } },
      },
    }),
  );
  const child = startFakeGateway([
    '--port',
    String(port),
    '--token',
    TOKEN,
    '--control',
    join(dir, 'control.json'),
    '--rpc-log',
    join(dir, 'rpc.jsonl'),
  ]);
  await waitFor(() => answers(port), { what: 'fake gateway' });
  const gateway = { pid: child.pid!, startTicks: readStartTicks(child.pid!) };
  const config = {
    host: '127.0.0.1',
    port,
    token: TOKEN,
    authMode: null,
    settings: defaultSettings(),
  } as unknown as Config;
  const log = () => {
    try {
      return readFileSync(join(dir, 'rpc.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { config, log, restart: channelRestart(gateway) };
}

describe('act: channel-restart', () => {
  it('stops then starts the account over one operator.admin session, logged channel_restart; start skipped is a failure', async () => {
    const { config, log, restart } = await gateway(tempDir());
    const done = await act(config, [restart], freshState(), {
      obs,
      now: () => 1,
      say: () => {},
      stillOwner: () => true,
    });
    // channels.start answered `skipped`: the account stays stopped, a failed restart (it alerts).
    expect(done.events).toEqual([
      {
        level: 'warn',
        event: 'channel_restart',
        at: 1,
        channel: 'telegram',
        account: 'default',
        ok: false,
        start: 'skipped',
        error: 'channels.start: skipped (the account stays stopped)',
      },
    ]);
    expect(log().map((l) => (JSON.parse(l) as { method: string }).method)).toEqual([
      'connect',
      'channels.stop',
      'channels.start',
    ]);
  });

  it('respects the check lock: taken over, nothing is sent and lock_lost says what was skipped', async () => {
    const { config, log, restart } = await gateway(tempDir());
    const done = await act(config, [restart], freshState(), {
      obs,
      now: () => 1,
      say: () => {},
      stillOwner: () => false,
    });
    expect(done.lockLost).toBe(true);
    expect(done.events).toEqual([
      { level: 'warn', event: 'lock_lost', at: 1, skipped: ['channel-restart'] },
    ]);
    expect(log()).toEqual([]);
  });

  it('checks right before that the gateway read still holds the port: another process there gets nothing', async () => {
    const { config, log } = await gateway(tempDir());
    // This test's own process (not the gateway on the port), then no known gateway at all.
    const self = { pid: process.pid, startTicks: readStartTicks(process.pid) };
    for (const [ref, code] of [
      [self, 'GATEWAY_NOT_ON_PORT'],
      [null, 'GATEWAY_UNKNOWN'],
    ] as const) {
      const done = await act(config, [channelRestart(ref)], freshState(), {
        obs,
        now: () => 1,
        say: () => {},
        stillOwner: () => true,
      });
      expect(done.events).toEqual([
        {
          level: 'warn',
          event: 'channel_restart',
          at: 1,
          channel: 'telegram',
          account: 'default',
          ok: false,
          error: `not sent: ${code} (the gateway on the port is not ours)`,
        },
      ]);
    }
    expect(log()).toEqual([]);
  });
});
