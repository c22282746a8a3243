import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './dirs.js';
import { freePort } from './net.js';
import { track, waitFor } from './processes.js';

/** Debian's prometheus package: /usr/bin/prometheus and /usr/bin/promtool (or on PATH). */
export function findBinary(name: 'prometheus' | 'promtool'): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Skip a suite when the binary is missing on a developer's machine; in CI (CI=true, where .ci/run
 * installs the package) a missing binary fails the suite instead of skipping it.
 */
export function requireBinary(name: 'prometheus' | 'promtool'): string | null {
  const found = findBinary(name);
  if (!found && process.env.CI === 'true')
    throw new Error(`${name} is missing in CI: .ci/run installs Debian's prometheus package`);
  if (!found)
    process.stderr.write(
      `skipping: ${name} not found (apt-get install prometheus); CI runs these tests\n`,
    );
  return found;
}

/** Runs promtool; its exit code and output (never throws on a non-zero exit). */
export function promtool(
  bin: string,
  args: string[],
  input?: string,
): { code: number; output: string } {
  try {
    const out = execFileSync(bin, args, {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return { code: 0, output: out };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export interface Prom {
  url: string;
  pid: number;
  /** An instant query: the result vector (throws on a query error: a panel that does not parse). */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Active alerts (pending and firing). */
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
}

/**
 * Our own Prometheus (never the system one on :9090): a kernel-picked free port, a temp TSDB and
 * config, 1 s scrape and evaluation intervals, the rule files given. Tracked: teardown kills it by pid.
 */
export async function startPrometheus(
  bin: string,
  opts: { targets: string[]; ruleFiles?: string[]; bearerToken?: string },
): Promise<Prom> {
  const dir = tempDir('ocwd-prom-');
  const port = await freePort();
  const auth = opts.bearerToken
    ? `    authorization:\n      credentials: ${JSON.stringify(opts.bearerToken)}\n`
    : '';
  const config = `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
${(opts.ruleFiles ?? []).map((f) => `  - ${JSON.stringify(f)}`).join('\n') || '  []'}
scrape_configs:
  - job_name: openclaw-watchdog
${auth}    static_configs:
      - targets: ${JSON.stringify(opts.targets)}
`;
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child = spawn(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const pid = track(child.pid);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      return fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
    },
    { what: 'prometheus ready', timeoutMs: 60_000, intervalMs: 200 },
  );
  const api = async (path: string) => {
    const r = await fetch(`${url}${path}`);
    const body = (await r.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? r.status}`);
    return body.data;
  };
  return {
    url,
    pid,
    query: async (expr) =>
      ((await api(`/api/v1/query?query=${encodeURIComponent(expr)}`)) as { result: [] }).result,
    alerts: async () => ((await api('/api/v1/alerts')) as { alerts: [] }).alerts,
  };
}
