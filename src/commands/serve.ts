import { createServer } from 'node:http';
import type { Command } from '../cli.js';
import { intFlag, pathFlags, stringFlag, type Flags } from '../lib/cli/args.js';
import { loadConfig } from '../lib/config/load.js';
import { watchdogFiles } from '../lib/files.js';
import { renderMetrics } from '../lib/metrics.js';
import { probeGateway } from '../lib/probe/index.js';
import type { ProbeResult } from '../lib/probe/types.js';
import { activePause, gatherStatus, type StatusReport } from '../lib/status.js';
import { isHost } from '../lib/config/validate.js';
import { eventLogOptions } from '../lib/files.js';
import { redactDeep } from '../lib/redact.js';
import { hostAllowed } from '../lib/serve-guard.js';
import { readPause } from '../lib/store/pause.js';
import { loadState } from '../lib/store/state.js';
import { UsageError } from '../lib/errors.js';

export const DEFAULT_SERVE_PORT = 18800;
const CACHE_MS = 5000;

export const command: Command = {
  summary: 'HTTP endpoint for uptime monitors',
  help: `Usage: openclaw-watchdog serve [--port N] [--host ADDR]

A small HTTP server for uptime monitors (loopback by default):
  GET /health    200 when the gateway is healthy, 503 otherwise (live probe, cached up to 5 s)
  GET /status    the status JSON (as 'status --json', cached up to 5 s)
Only requests whose Host header names a loopback address, the listen address or (bound to a
wildcard) one of this machine's addresses are answered; others get 421 (DNS rebinding).
  GET /metrics   Prometheus text

Options:
  --port N          listen port (default ${DEFAULT_SERVE_PORT})
  --host ADDR       listen address (default 127.0.0.1)`,
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run(flags: Flags) {
    const config = loadConfig(pathFlags(flags), process.env);
    const port = intFlag(flags, 'port', 0, 65535) ?? DEFAULT_SERVE_PORT;
    const host = stringFlag(flags, 'host') ?? '127.0.0.1';
    if (!isHost(host))
      throw new UsageError(
        `--host: expected an IP address or a host name, got ${JSON.stringify(host)}`,
      );
    const allowedHost = hostAllowed(host);
    const secrets = eventLogOptions(config).secrets;
    let cached: { at: number; probe: Promise<ProbeResult> } | null = null;
    const probe = () => {
      if (!cached || Date.now() - cached.at > CACHE_MS) {
        cached = {
          at: Date.now(),
          probe: probeGateway({
            host: config.host,
            port: config.port,
            timeoutMs: config.settings.probe.timeoutMs,
            auth: { token: config.token, mode: config.authMode },
          }),
        };
      }
      return cached.probe;
    };
    // /status reads the event log, state and /proc: one computation at a time, shared by every
    // request within CACHE_MS (like /health), so a burst of requests costs one.
    let statusCache: { at: number; report: Promise<StatusReport> } | null = null;
    const status = () => {
      if (!statusCache || Date.now() - statusCache.at > CACHE_MS) {
        const entry = {
          at: Date.now(),
          report: probe().then(async (p) => redactDeep(await gatherStatus(config, p), secrets)),
        };
        entry.report.catch(() => {
          if (statusCache === entry) statusCache = null;
        });
        statusCache = entry;
      }
      return statusCache.report;
    };
    const server = createServer(async (req, res) => {
      const send = (code: number, type: string, body: string) => {
        res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      if (!allowedHost(req.headers.host))
        return send(421, 'text/plain', 'misdirected request: unexpected Host header\n');
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(405, 'text/plain', 'method not allowed\n');
      const path = (req.url ?? '/').split('?')[0];
      try {
        if (path === '/health') {
          const p = await probe();
          const healthy = p.verdict === 'healthy';
          return send(
            healthy ? 200 : 503,
            'application/json',
            JSON.stringify({
              healthy,
              state: p.verdict,
              reason: p.reason,
              port: config.port,
              probeMs: p.ms,
            }),
          );
        }
        if (path === '/status')
          return send(200, 'application/json', JSON.stringify(await status()));
        if (path === '/metrics') {
          const p = await probe();
          const { state } = loadState(watchdogFiles(config).state);
          const text = renderMetrics({
            paused: activePause(readPause(config.paths.watchdogDir), Date.now()) !== null,
            up: p.verdict === 'healthy',
            state,
            probeSeconds: p.ms / 1000,
            now: Date.now(),
          });
          return send(200, 'text/plain; version=0.0.4', text);
        }
        return send(404, 'text/plain', 'not found: try /health, /status, /metrics\n');
      } catch (error) {
        return send(500, 'text/plain', `${redactDeep((error as Error).message, secrets)}\n`);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code
            ? new UsageError(
                `${error.code === 'EADDRINUSE' || error.code === 'EACCES' ? '--port' : '--host'}: cannot listen on ${host}:${port}: ${error.code}`,
              )
            : error,
        ),
      );
      server.listen(port, host, resolve);
    });
    const address = server.address() as { port: number };
    process.stderr.write(
      `openclaw-watchdog serve: http://${host.includes(':') ? `[${host}]` : host}:${address.port}/health\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    return 0;
  },
};
