import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/lib/config/load.js';
import { callGateway } from '../../../src/lib/probe/rpc.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';
import { answers, freePort } from '../../helpers/net.js';
import { killTracked, startFakeGateway, waitFor } from '../../helpers/processes.js';

afterEach(() => {
  killTracked();
  removeTempDirs();
});

const TOKEN = 'tok-rpc-test-0123456789';
const configFor = (port: number, token: string | null) =>
  ({ host: '127.0.0.1', port, token, authMode: null }) as unknown as Config;

async function gateway(dir: string): Promise<number> {
  const port = await freePort();
  startFakeGateway([
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
  return port;
}

describe('callGateway', () => {
  it('connects with the token and the scopes asked for, then answers each call in order', async () => {
    const dir = tempDir();
    const payload = { channelAccounts: { telegram: [{ accountId: 'a', running: true }] } };
    writeFileSync(
      join(dir, 'control.json'),
      JSON.stringify({ rpc: { 'channels.status': { ok: true, payload } } }),
    );
    const port = await gateway(dir);
    const answers = await callGateway(
      configFor(port, TOKEN),
      [
        { method: 'channels.status', params: { probe: false } },
        { method: 'no.such.method', params: {} },
      ],
      { scopes: ['operator.read', 'operator.admin'], timeoutMs: 3000 },
    );
    expect(answers).toEqual([
      { ok: true, payload },
      { ok: false, code: 'INVALID_REQUEST' },
    ]);
    const log = readFileSync(join(dir, 'rpc.jsonl'), 'utf8');
    expect(
      log
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { method: 'connect', params: { scopes: ['operator.read', 'operator.admin'], client: 'cli' } },
      { method: 'channels.status', params: { probe: false } },
      { method: 'no.such.method', params: {} },
    ]);
    expect(log).not.toContain(TOKEN);
  });

  it('a wrong token, no token, or nothing listening are answers, not throws', async () => {
    const dir = tempDir();
    const port = await gateway(dir);
    const call = [{ method: 'health', params: {} }];
    const opts = { scopes: ['operator.read'], timeoutMs: 3000 };
    expect(await callGateway(configFor(port, 'wrong'), call, opts)).toEqual([
      { ok: false, code: 'AUTH_TOKEN_MISMATCH', message: 'unauthorized: gateway token mismatch' },
    ]);
    expect(await callGateway(configFor(port, null), call, opts)).toEqual([
      { ok: false, code: 'NO_TOKEN' },
    ]);
    const closed = await freePort();
    expect(await callGateway(configFor(closed, TOKEN), call, opts)).toEqual([
      { ok: false, code: 'ECONNREFUSED' },
    ]);
  });
});
