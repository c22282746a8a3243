import { createServer } from 'node:http';
import type { Command } from '../cli.js';
import { intFlag, pathFlags, stringFlag, type Flags } from '../lib/cli/args.js';
import { loadConfig } from '../lib/config/load.js';
import { watchdogFiles } from '../lib/files.js';
import { renderMetrics } from '../lib/metrics.js';
import { probeGateway } from '../lib/probe/index.js';
import type { ProbeResult } from '../lib/probe/types.js';
import { activePause, gatherStatus } from '../lib/status.js';
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
  GET /status    the status JSON (as 'status --json')
  GET /metrics   Prometheus text

Options:
  --port N          listen port (default ${DEFAULT_SERVE_PORT})
  --host ADDR       listen address (default 127.0.0.1)`,
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run(flags: Flags) {
    const config = loadConfig(pathFlags(flags), process.env);
    const port = intFlag(flags, 'port', 0, 65535) ?? DEFAULT_SERVE_PORT;
    const host = stringFlag(flags, 'host') ?? '127.0.0.1';
    let cached: { at: number; probe: Promise<ProbeResult> } | null = null;
    const probe = () => {
      if (!cached || Date.now() - cached.at > CACHE_MS) {
        cached = {
          at: Date.now(),
          probe: probeGateway({
            host: config.host,
            port: config.port,
            timeoutMs: config.settings.probe.timeoutMs,
          }),
        };
      }
      return cached.probe;
    };
    const server = createServer(async (req, res) => {
      const send = (code: number, type: string, body: string) => {
        res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      };
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
          return send(
            200,
            'application/json',
            JSON.stringify(await gatherStatus(config, await probe())),
          );
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
        return send(500, 'text/plain', `${(error as Error).message}\n`);
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE' || error.code === 'EACCES'
            ? new UsageError(`--port: cannot listen on ${host}:${port}: ${error.code}`)
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
