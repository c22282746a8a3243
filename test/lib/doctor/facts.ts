import type { ProbeResult } from '../../../src/lib/probe/types.js';
import type { DoctorFacts } from '../../../src/lib/doctor/types.js';

export const NOW = Date.parse('2026-12-06T18:00:00Z');

const healthy: ProbeResult = {
  verdict: 'healthy',
  host: '127.0.0.1',
  port: 18789,
  ms: 12,
  startup: 'started',
  ready: true,
  failing: [],
  eventLoop: null,
  version: '2026.9.6',
  reason: '/healthz live',
  steps: { ws: { connected: true, ms: 5, upgraded: true, challenge: true, connect: 'hello-ok' } },
};

const ENTRIES = [
  '* * * * * /home/me/.openclaw/watchdog/cron-check.sh',
  '* * * * * sleep 30; /home/me/.openclaw/watchdog/cron-check.sh',
];

/** A right set-up: every check ok. Tests break one fact each. */
export function goodFacts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    now: NOW,
    stateDir: '/home/me/.openclaw',
    fixFlags: '',
    configFile: '/home/me/.openclaw/watchdog/config.json',
    configError: null,
    openclawConfig: '/home/me/.openclaw/openclaw.json',
    cron: {
      crontabError: null,
      block: { entries: ENTRIES, every: '30s', legacy: false },
      expectedEntries: ENTRIES,
      daemons: [{ pid: 812, name: 'cron' }],
    },
    launcher: {
      path: '/home/me/.openclaw/watchdog/cron-check.sh',
      exists: true,
      writtenAt: NOW - 86_400_000,
      executable: true,
      node: '/usr/bin/node',
      cli: '/home/me/.npm-global/lib/node_modules/openclaw-watchdog/dist/cli.js',
      path_: '/usr/bin:/bin',
      run: { ok: true, output: '0.1.0' },
      thisCli: '/home/me/.npm-global/lib/node_modules/openclaw-watchdog/dist/cli.js',
      thisVersion: '0.1.0',
    },
    everySec: 30,
    lastCheckAt: NOW - 20_000,
    probe: healthy,
    stoppedByUser: false,
    paused: null,
    token: { known: true, authMode: 'token', source: 'gateway.auth.token in openclaw.json' },
    start: { ok: true, method: 'openclaw', proof: '/usr/bin/openclaw (OpenClaw 2026.9.6)' },
    notify: {
      webhooks: 1,
      ntfy: 0,
      telegram: 0,
      commands: 0,
      heartbeat: { host: 'https://hc-ping.com/…', format: 'auto' },
      heartbeatError: null,
      outbox: 0,
    },
    disk: {
      filesystems: [
        { paths: ['/home/me/.openclaw'], freeBytes: 10e9, totalBytes: 40e9, dev: 1, tmpfs: false },
      ],
      low: [],
    },
    openclaw: {
      suppressed: [],
      lockRole: null,
      lastVerdict: 'healthy',
      atWork: null,
      uncleanBoots: 0,
      ledgerError: null,
      breakerTripped: false,
      savedSafeModeSince: null,
      breakerAction: 'recover',
      breakerThreshold: 3,
    },
    ...over,
  };
}
