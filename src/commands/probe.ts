import { out } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { intFlag, pathFlags, type Flags } from '../lib/cli/args.js';
import { loadConfig } from '../lib/config/load.js';
import { probeGateway, probeOptions } from '../lib/probe/index.js';
import { formatProbe } from '../lib/probe/format.js';
import { packageVersion } from '../lib/version.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog probe [--json] [--deep] [--port N] [--timeout MS]

Probes the gateway once: HTTP /healthz, /startupz, /readyz and the WebSocket challenge; with
--deep and a token, connect -> hello-ok -> health, with each channel's state. No lock, no side effects.
Exit 0 healthy or starting, 1 anything else, 2 usage or config error.

Options:
  --deep            authenticate and call the health RPC (needs the gateway token)
  --port N          probe this port instead of the configured one
  --timeout MS      whole-probe budget (default: probe.timeoutMs, 5000)`,
  options: {
    deep: { type: 'boolean' },
    port: { type: 'string' },
    timeout: { type: 'string' },
  },
  async run(flags: Flags) {
    const config = loadConfig(pathFlags(flags), process.env);
    const port = intFlag(flags, 'port', 1, 65535) ?? config.port;
    const timeoutMs = intFlag(flags, 'timeout', 100, 600_000) ?? config.settings.probe.timeoutMs;
    const deep = flags.deep ? { token: config.token, version: packageVersion() } : undefined;
    const result = await probeGateway(
      probeOptions(config, { port, timeoutMs, ...(deep ? { deep } : {}) }),
    );
    out(flags.json ? `${JSON.stringify(result)}\n` : `${formatProbe(result)}\n`);
    return result.verdict === 'healthy' || result.verdict === 'starting' ? 0 : 1;
  },
};
