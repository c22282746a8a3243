import { out } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { pathFlags, type Flags } from '../lib/cli/args.js';
import { loadConfig } from '../lib/config/load.js';
import { sendTestAlerts } from '../lib/notify/test-alert.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog notify test [--json]

Sends one test alert through every configured channel (notify.webhooks, whatever events each
wants) and one test ping to notify.heartbeat (its success form), and prints per channel
delivered, or failed with the reason; URLs are shown by host only. Nothing goes through the
outbox. Exit 0 only when every one was delivered; 1 when one failed or none is configured.`,
  options: {},
  subcommands: ['test'],
  async run(flags: Flags) {
    const config = loadConfig(pathFlags(flags), process.env);
    const results = await sendTestAlerts(config, Date.now());
    const ok = results.length > 0 && results.every((r) => r.delivered);
    if (flags.json) {
      out(`${JSON.stringify({ ok, results })}\n`);
    } else if (!results.length) {
      out('nothing to test: no notify.webhooks and no notify.heartbeat configured\n');
    } else {
      const width = Math.max(...results.map((r) => r.channel.length));
      for (const r of results)
        out(`${r.channel.padEnd(width)}  ${r.delivered ? 'delivered' : `failed: ${r.error}`}\n`);
    }
    return ok ? 0 : 1;
  },
};
