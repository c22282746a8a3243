import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { err } from '../lib/cli/terminal.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Command } from '../lib/cli/command.js';
import { intFlag, pathFlags, stringFlag, type Flags } from '../lib/cli/args.js';
import type { Config } from '../lib/config/load.js';
import { loadConfig } from '../lib/config/load.js';
import { configSecrets } from '../lib/config/secrets.js';
import { isHost } from '../lib/config/validate.js';
import { errorMessage, UsageError } from '../lib/errors.js';
import { collectGateway } from '../lib/fleet/collect.js';
import { gatewayName } from '../lib/fleet/names.js';
import { renderFleet, writeTextfile, type MetricsInput } from '../lib/metrics.js';
import { probeGateway, probeOptions } from '../lib/probe/index.js';
import type { ProbeResult } from '../lib/probe/types.js';
import { redactDeep } from '../lib/redact.js';
import { hostAllowed, isLoopbackHost } from '../lib/serve-guard.js';
import { watchdogs, type Watchdog } from '../lib/status-all.js';

export const DEFAULT_SERVE_PORT = 18800;
const CACHE_MS = 5000;
export const TOKEN_ENV = 'OPENCLAW_WATCHDOG_SERVE_TOKEN';

export const command: Command = {
  help: `Usage: openclaw-watchdog serve [--all] [--port N] [--host ADDR] [--token-file FILE]
       openclaw-watchdog serve [--all] --textfile FILE

A small HTTP server for uptime monitors and Prometheus (loopback by default):
  GET /health    200 when the gateway is healthy, 503 otherwise, OpenClaw's safe mode included
                 (live probe, cached up to 5 s)
  GET /status    the status JSON (as 'status --json', cached up to 5 s)
  GET /metrics   Prometheus text, every series labelled gateway="<name>"
With --all, every watchdog in your crontab (what 'status --all' lists): /metrics holds them all,
/status is a JSON array, and /health/<gateway> answers for one (/health: 200 when all are healthy).
Only requests whose Host header names a loopback address, the listen address or (bound to a
wildcard) one of this machine's addresses are answered; others get 421 (DNS rebinding).

Options:
  --all             every watchdog of this user, not only this state dir's
  --port N          listen port (default ${DEFAULT_SERVE_PORT})
  --host ADDR       listen address (default 127.0.0.1)
  --token-file FILE require 'Authorization: Bearer <the file's first line>' (or set ${TOKEN_ENV})
  --textfile FILE   write the metrics to FILE once (atomically, for node_exporter) and exit`,
  options: {
    all: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
    'token-file': { type: 'string' },
    textfile: { type: 'string' },
  },
  async run(flags: Flags) {
    const fleet = flags.all === true ? allSource(process.env) : oneSource(flags);
    const textfile = stringFlag(flags, 'textfile');
    if (textfile !== undefined) {
      if (textfile === '') throw new UsageError('--textfile: empty; give a file');
      const text = await fleet.metrics();
      writeTextfile(textfile, text);
      return 0;
    }
    const port = intFlag(flags, 'port', 0, 65535) ?? DEFAULT_SERVE_PORT;
    const host = stringFlag(flags, 'host') ?? '127.0.0.1';
    if (!isHost(host))
      throw new UsageError(
        `--host: expected an IP address or a host name, got ${JSON.stringify(host)}`,
      );
    const token = readToken(stringFlag(flags, 'token-file'), process.env);
    const server = createServer(handler(fleet, hostAllowed(host), token));
    const address = await listen(server, host, port);
    if (!token && !isLoopbackHost(host))
      err(
        `openclaw-watchdog serve: listening on ${host} without a token: anyone who reaches it reads your gateways' status (set --token-file)\n`,
      );
    err(
      `openclaw-watchdog serve: http://${host.includes(':') ? `[${host}]` : host}:${address.port}/${flags.all === true ? 'metrics' : 'health'}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    return 0;
  },
};

/** The bearer token: the file's first line, or the environment variable; null for none. */
function readToken(file: string | undefined, env: NodeJS.ProcessEnv): string | null {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--token-file: cannot read ${file}: ${errorMessage(error)}`);
    }
    const line = text.split('\n')[0]!.trim();
    if (line.length < 16)
      throw new UsageError(`--token-file: ${file}: the token is shorter than 16 characters`);
    return line;
  }
  const fromEnv = env[TOKEN_ENV]?.trim();
  if (fromEnv === undefined || fromEnv === '') return null;
  if (fromEnv.length < 16)
    throw new UsageError(`${TOKEN_ENV}: the token is shorter than 16 characters`);
  return fromEnv;
}

/** A request's bearer token matches (constant time). */
function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

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

/** What serve shows: one watchdog (this state dir's) or all of them. */
interface Source {
  /** /health: the one gateway's, or (all) 200 only when every gateway is healthy. */
  health(): Promise<{ code: number; body: unknown }>;
  /** /health/<gateway> (all only): null when there is no such gateway. */
  healthOf(gateway: string): Promise<{ code: number; body: unknown } | null>;
  status(): Promise<unknown>;
  metrics(): Promise<string>;
  secrets(): string[];
}

/** OpenClaw's safe mode answers 200 but delivers nothing: not healthy for an uptime monitor. */
const safeModeOf = (p: ProbeResult) => p.verdict === 'healthy' && (p.suppressed?.length ?? 0) > 0;
const isHealthy = (p: ProbeResult) => p.verdict === 'healthy' && !safeModeOf(p);

const healthBody = (gateway: string, config: Config, p: ProbeResult) => ({
  gateway,
  healthy: isHealthy(p),
  state: safeModeOf(p) ? 'safe_mode' : p.verdict,
  reason: p.reason,
  port: config.port,
  probeMs: p.ms,
});

/** One watchdog: the state dir the flags name. */
function oneSource(flags: Flags): Source {
  const config = loadConfig(pathFlags(flags), process.env);
  const gateway = gatewayName(config.paths);
  const secrets = configSecrets(config);
  const probe = sharedFor(CACHE_MS, () => probeGateway(probeOptions(config)));
  const collected = sharedFor(CACHE_MS, async () =>
    collectGateway(config, await probe(), { gateway, everySec: null }),
  );
  const health = async () => {
    const p = await probe();
    return { code: isHealthy(p) ? 200 : 503, body: healthBody(gateway, config, p) };
  };
  return {
    health,
    healthOf: async (name) => (name === gateway ? health() : null),
    status: async () => redactDeep((await collected()).status, secrets),
    metrics: async () => renderFleet([(await collected()).metrics]),
    secrets: () => secrets,
  };
}

interface Member {
  watchdog: Watchdog;
  probe: () => Promise<ProbeResult>;
  collected: () => Promise<Awaited<ReturnType<typeof collectGateway>>>;
}

/**
 * Every watchdog in the crontab, re-read at most every 5 s (a new install-cron shows without a
 * restart). Each gateway is probed and read on its own cache; one that fails is left out of
 * /metrics and shown with its error in /status.
 */
function allSource(env: NodeJS.ProcessEnv): Source {
  const members = new Map<string, Member>();
  let secrets: string[] = [];
  const list = sharedFor(CACHE_MS, async () => {
    const found = await watchdogs(env);
    const next: Member[] = found.map((w) => {
      const key = `${w.stateDir}\0${w.config ? w.config.port : ''}`;
      const old = members.get(key);
      if (old) return { ...old, watchdog: w };
      const config = w.config;
      const probe = sharedFor(CACHE_MS, () =>
        config ? probeGateway(probeOptions(config)) : Promise.reject(new Error(w.error)),
      );
      const collected = sharedFor(CACHE_MS, async () => {
        if (!config) throw new Error(w.error ?? 'config did not load');
        return collectGateway(config, await probe(), {
          gateway: w.gateway,
          everySec: w.everySec,
        });
      });
      return { watchdog: w, probe, collected };
    });
    members.clear();
    for (const m of next)
      members.set(`${m.watchdog.stateDir}\0${m.watchdog.config?.port ?? ''}`, m);
    secrets = next.flatMap((m) => (m.watchdog.config ? configSecrets(m.watchdog.config) : []));
    return next;
  });
  const healthOfMember = async (m: Member) => {
    const { config, gateway } = m.watchdog;
    if (!config)
      return {
        code: 503,
        body: { gateway, healthy: false, state: 'error', reason: m.watchdog.error },
      };
    const p = await m.probe();
    return { code: isHealthy(p) ? 200 : 503, body: healthBody(gateway, config, p) };
  };
  return {
    health: async () => {
      const all = await Promise.all((await list()).map(healthOfMember));
      const ok = all.every((h) => h.code === 200);
      return { code: ok ? 200 : 503, body: all.map((h) => h.body) };
    },
    healthOf: async (name) => {
      const m = (await list()).find((x) => x.watchdog.gateway === name);
      return m ? healthOfMember(m) : null;
    },
    status: async () =>
      redactDeep(
        await Promise.all(
          (await list()).map(async (m) => {
            const { gateway, stateDir } = m.watchdog;
            try {
              return { name: gateway, stateDir, ...(await m.collected()).status };
            } catch (error) {
              return { name: gateway, stateDir, error: errorMessage(error) };
            }
          }),
        ),
        secrets,
      ),
    metrics: async () => {
      const got = await Promise.all(
        (await list()).map((m) =>
          m.collected().then(
            (c) => c.metrics,
            () => null,
          ),
        ),
      );
      return renderFleet(got.filter((g): g is MetricsInput => g !== null));
    },
    secrets: () => secrets,
  };
}

type Send = (code: number, type: string, body: string) => void;

/** The request handler: Host check, token, GET/HEAD only, then the routes. */
function handler(
  source: Source,
  allowedHost: (header: string | undefined) => boolean,
  token: string | null,
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const send: Send = (code, type, body) => {
      const auth = code === 401 ? { 'www-authenticate': 'Bearer' } : {};
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store', ...auth });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!allowedHost(req.headers.host))
      return send(421, 'text/plain', 'misdirected request: unexpected Host header\n');
    if (token !== null && !authorized(req, token))
      return send(401, 'text/plain', 'unauthorized: send Authorization: Bearer <token>\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(405, 'text/plain', 'method not allowed\n');
    const path = (req.url ?? '/').split('?')[0]!;
    const json = (code: number, body: unknown) =>
      send(code, 'application/json', JSON.stringify(body));
    try {
      if (path === '/health') {
        const h = await source.health();
        return json(h.code, h.body);
      }
      if (path.startsWith('/health/')) {
        let name: string;
        try {
          name = decodeURIComponent(path.slice('/health/'.length));
        } catch {
          return send(400, 'text/plain', 'bad gateway name\n');
        }
        const h = await source.healthOf(name);
        if (!h) return send(404, 'text/plain', 'no such gateway: see /status\n');
        return json(h.code, h.body);
      }
      if (path === '/status') return json(200, await source.status());
      if (path === '/metrics')
        return send(200, 'text/plain; version=0.0.4', await source.metrics());
      return send(404, 'text/plain', 'not found: try /health, /status, /metrics\n');
    } catch (error) {
      send(500, 'text/plain', `${redactDeep(errorMessage(error), source.secrets())}\n`);
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
