import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateSettings } from '../src/lib/config/validate.js';
import { bareEnv, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/dirs.js';
import { cleanUp } from './helpers/teardown.js';

afterEach(cleanUp);

const channels = {
  webhooks: { url: 'https://example.invalid/hook' },
  ntfy: { url: 'https://ntfy.sh/oc-alerts' },
  telegram: { botToken: '123456:abcdefghijklmnopqrstuvwxyz0123456789', chatId: '-100' },
  commands: { argv: ['logger'] },
};

describe('a channel event list names only events this build knows', () => {
  it('each channel kind: an unknown name is a ConfigError naming key and value; known names pass', () => {
    for (const [kind, entry] of Object.entries(channels)) {
      const ok = { notify: { [kind]: [{ ...entry, events: ['gateway_down', 'channel_down'] }] } };
      expect(() => validateSettings(ok, 'c.json')).not.toThrow();
      const bad = { notify: { [kind]: [{ ...entry, events: ['gateway_down', 'gateway_dwon'] }] } };
      expect(() => validateSettings(bad, 'c.json')).toThrow(
        `c.json: notify.${kind}[0].events[1]: unknown event name "gateway_dwon"`,
      );
    }
  });

  it('every command that reads the config: exit 2, one line naming key and value', async () => {
    const home = tempDir();
    const dir = join(home, '.openclaw', 'watchdog');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        gateway: { port: 1 },
        notify: { webhooks: [{ url: 'http://127.0.0.1:1/x', events: ['gateway_dwon'] }] },
      }),
    );
    for (const args of [
      ['check'],
      ['status'],
      ['probe'],
      ['notify', 'test'],
      ['serve'],
      ['pause', '--for', '5m'],
    ]) {
      const r = await runCli(args, bareEnv(home));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(
        `openclaw-watchdog: ${file}: notify.webhooks[0].events[0]: unknown event name "gateway_dwon" (see the event list in the README's Event log)\n`,
      );
    }
  });
});
