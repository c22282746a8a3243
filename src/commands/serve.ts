import { err } from '../lib/cli/terminal.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Command } from '../lib/cli/command.js';
import { intFlag, pathFlags, stringFlag, type Flags } from '../lib/cli/args.js';
import type { Config } from '../lib/config/load.js';
import { loadConfig } from '../lib/config/load.js';
import { configSecrets } from '../lib/config/secrets.js';
import { isHost } from '../lib/config/validate.js';
import { errorMessage, UsageError } from '../lib/errors.js';
import { watchdogFiles } from '../lib/files.js';
import { renderMetrics } from '../lib/metrics.js';
import { loadOutbox } from '../lib/store/outbox.js';
import { probeGateway, probeOptions } from '../lib/probe/index.js';
import { redactDeep } from '../lib/redact.js';
import { hostAllowed } from '../lib/serve-guard.js';
import { activePause, gatherStatus } from '../lib/status.js';
import { readPause } from '../lib/store/pause.js';
import { loadState } from '../lib/store/state.js';

export const DEFAULT_SERVE_PORT = 18800;
const CACHE_MS = 5000;

export const command: Command = {
  help: `Usage: openclaw-watchdog serve [--port N] [--host ADDR]

A small HTTP server for uptime monitors (loopback by default):
  GET /health    200 when the gateway is healthy, 503 otherwise, OpenClaw's safe mode included
                 (live probe, cached up to 5 s)
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
    const server = createServer(handler(config, hostAllowed(host)));
    const address = await listen(server, host, port);
    err(
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

/**
 * One computation at a time, shared by every call within `ms`: a burst of requests costs one.
 * A computation that fails is not kept.
 */
function sharedFor<T>(ms: number, compute: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (!cached || Date.now() - cached.at > ms) {
      const entry = { at: Date.now(), value: compute() };
      entry.value.catch(() => {
        if (cached === entry) cached = null;
      });
      cached = entry;
    }
    return cached.value;
  };
}

type Send = (code: number, type: string, body: string) => void;

/** The request handler: Host check, GET/HEAD only, then /health, /status, /metrics. */
function handler(config: Config, allowedHost: (header: string | undefined) => boolean) {
  const secrets = configSecrets(config);
  const probe = sharedFor(CACHE_MS, () => probeGateway(probeOptions(config)));
  // /status reads the event log, state and /proc: cached like /health.
  const status = sharedFor(CACHE_MS, () =>
    probe().then(async (p) => redactDeep(await gatherStatus(config, p), secrets)),
  );
  const routes: Record<string, (send: Send) => Promise<void>> = {
    '/health': async (send) => {
      const p = await probe();
      // OpenClaw's safe mode answers 200 but delivers nothing: not healthy for an uptime monitor.
      const safeMode = p.verdict === 'healthy' && (p.suppressed?.length ?? 0) > 0;
      const healthy = p.verdict === 'healthy' && !safeMode;
      const body = {
        healthy,
        state: safeMode ? 'safe_mode' : p.verdict,
        reason: p.reason,
        port: config.port,
        probeMs: p.ms,
      };
      send(healthy ? 200 : 503, 'application/json', JSON.stringify(body));
    },
    '/status': async (send) => send(200, 'application/json', JSON.stringify(await status())),
    '/metrics': async (send) => {
      const p = await probe();
      const files = watchdogFiles(config);
      const { outbox } = loadOutbox(files.outbox);
      const text = renderMetrics({
        paused: activePause(readPause(files.dir), Date.now()) !== null,
        up: p.verdict === 'healthy',
        state: loadState(files.state).state,
        probeSeconds: p.ms / 1000,
        now: Date.now(),
        queued: { alerts: outbox.alerts.length, dropped: outbox.dropped },
      });
      send(200, 'text/plain; version=0.0.4', text);
    },
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    const send: Send = (code, type, body) => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!allowedHost(req.headers.host))
      return send(421, 'text/plain', 'misdirected request: unexpected Host header\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(405, 'text/plain', 'method not allowed\n');
    const path = (req.url ?? '/').split('?')[0]!;
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route) return send(404, 'text/plain', 'not found: try /health, /status, /metrics\n');
    try {
      await route(send);
    } catch (error) {
      send(500, 'text/plain', `${redactDeep(errorMessage(error), secrets)}\n`);
    }
  };
}

/** Listens; a port or address it cannot take is a one-line usage error naming the flag. */
function listen(server: Server, host: string, port: number): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code
          ? new UsageError(
              `${error.code === 'EADDRINUSE' || error.code === 'EACCES' ? '--port' : '--host'}: cannot listen on ${host}:${port}: ${error.code}`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => resolve(server.address() as { port: number }));
  });
}
