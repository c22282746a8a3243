/**
 * The watchdog's own settings: every key, its type, range, default and meaning. This table is
 * the contract users' files rely on; README's configuration reference mirrors it.
 */
export const WEBHOOK_FORMATS = ['auto', 'json', 'discord', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export interface Webhook {
  url: string;
  format: WebhookFormat;
  events: string[] | null;
}

export const HEARTBEAT_FORMATS = ['auto', 'healthchecks', 'uptime-kuma', 'json'] as const;
export type HeartbeatFormat = (typeof HEARTBEAT_FORMATS)[number];
/** A dead-man's switch pinged after every check. */
export interface Heartbeat {
  url: string;
  format: HeartbeatFormat;
  /** healthchecks.io only: ping `<url>/start` when a check begins (it then measures the run). */
  start: boolean;
  timeoutMs: number;
}
import type { CommandTarget, NtfyTarget, TelegramTarget } from './channel-settings.js';

type IntKind = { type: 'int'; min: number; max: number };
export type Kind =
  | IntKind
  | { type: 'string'; secret?: boolean; host?: boolean }
  | { type: 'argv' }
  | { type: 'strings' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'webhooks' }
  | { type: 'heartbeat' }
  | { type: 'ntfy' }
  | { type: 'telegram' }
  | { type: 'commands' }
  /** A size in MiB, or "auto": a default worked out on the machine (see the key's doc). */
  | { type: 'mib'; min: number; max: number };

export interface KeySpec {
  kind: Kind;
  nullable?: boolean;
  default: unknown;
  doc: string;
}

/** The TypeScript type a kind of value validates to. */
type ValueOf<K extends Kind> = K extends { type: 'int' }
  ? number
  : K extends { type: 'string' }
    ? string
    : K extends { type: 'argv' | 'strings' }
      ? string[]
      : K extends { type: 'enum'; values: readonly (infer V)[] }
        ? V
        : K extends { type: 'webhooks' }
          ? Webhook[]
          : K extends { type: 'heartbeat' }
            ? Heartbeat
            : K extends { type: 'ntfy' }
              ? NtfyTarget[]
              : K extends { type: 'telegram' }
                ? TelegramTarget[]
                : K extends { type: 'commands' }
                  ? CommandTarget[]
                  : K extends { type: 'mib' }
                    ? number | 'auto'
                    : never;

/** A key's type: its kind's, or null as well when it is nullable. */
type SettingOf<S> = S extends { kind: infer K extends Kind }
  ? ValueOf<K> | (S extends { nullable: true } ? null : never)
  : never;

const int = (min: number, max: number): IntKind => ({ type: 'int', min, max });

export const SCHEMA = {
  gateway: {
    port: {
      kind: int(1, 65535),
      nullable: true,
      default: null,
      doc: 'Gateway port. Default: as OpenClaw resolves it (env OPENCLAW_GATEWAY_PORT, openclaw.json gateway.port, profile port, 18789).',
    },
    host: {
      kind: { type: 'string', host: true },
      default: '127.0.0.1',
      doc: 'Address the probe connects to (an IP address or a host name).',
    },
    token: {
      kind: { type: 'string', secret: true },
      nullable: true,
      default: null,
      doc: 'Gateway token for `--deep` probes. Default: openclaw.json gateway.auth.token, then env OPENCLAW_GATEWAY_TOKEN.',
    },
  },
  probe: {
    timeoutMs: {
      kind: int(100, 60_000),
      default: 5000,
      doc: 'Whole-probe budget (HTTP and WebSocket together).',
    },
    hungAfterSec: {
      kind: int(0, 86_400),
      default: 60,
      doc: 'How long a gateway may stay unresponsive, across checks, before it is killed and restarted.',
    },
    startupGraceSec: {
      kind: int(0, 86_400),
      default: 120,
      doc: 'A gateway younger than this is starting, never dead. The grace used is max(this, 2 x the slowest boot seen).',
    },
  },
  restart: {
    command: {
      kind: { type: 'argv' },
      nullable: true,
      default: null,
      doc: 'Argument array that starts the gateway (no shell). Default: systemd user unit if installed, else `openclaw gateway run`.',
    },
    openclaw: {
      kind: { type: 'string' },
      nullable: true,
      default: null,
      doc: 'Path to the `openclaw` executable. Default: found on PATH and in the usual user-space npm locations.',
    },
    verifyTimeoutSec: {
      kind: int(1, 3600),
      default: 60,
      doc: 'How long a check waits for a restarted gateway to answer.',
    },
    stopTimeoutSec: {
      kind: int(0, 3600),
      default: 10,
      doc: 'SIGTERM to SIGKILL delay when stopping a hung gateway.',
    },
    stableAfterSec: {
      kind: int(0, 86_400),
      default: 300,
      doc: 'Healthy this long after a restart resets the backoff.',
    },
    baseDelaySec: {
      kind: int(0, 86_400),
      default: 60,
      doc: 'Delay before the second consecutive restart; it doubles each time after.',
    },
    maxDelaySec: { kind: int(0, 86_400), default: 1800, doc: 'Cap on the backoff delay.' },
    custodyWaitSec: {
      kind: int(0, 86_400),
      default: 600,
      doc: "Before the watchdog stops a gateway that still answers (memory, channel escalation), it waits this long at most for OpenClaw's write custody (`status` shutdownBudget.writeCustody: backup, migration) to end; still held then, the stop is not done (a later check tries again).",
    },
  },
  update: {
    maxSec: {
      kind: int(1, 86_400),
      default: 2700,
      doc: "How long an OpenClaw update or maintenance (an `update_runs` row running with a live driver, doctor's lock role, a suspended gateway, an update successor booting) is left alone: no stop, no start, no orphan reaping. Past it, `update_stuck` alerts once and the usual rules apply again. Default: OpenClaw's own step deadline (45 min).",
    },
    startupGraceSec: {
      kind: int(0, 86_400),
      default: 600,
      doc: 'The startup grace for the first boot of a new OpenClaw version (after an installation replaced under the gateway): migrations can make it slow.',
    },
  },
  orphans: {
    minAgeSec: {
      kind: int(0, 86_400 * 7),
      default: 600,
      doc: 'While the gateway is healthy, only orphans older than this are reaped.',
    },
    patterns: {
      kind: { type: 'strings' },
      default: ['openclaw-*'],
      doc: "Process names/titles (glob, `*` only) that count as the gateway's helpers. Matched against the name and argv[0], never the arguments.",
    },
    action: {
      kind: { type: 'enum', values: ['reap', 'report'] },
      default: 'reap',
      doc: '`report` only logs orphans_found.',
    },
    killTimeoutSec: { kind: int(0, 600), default: 5, doc: 'SIGTERM to SIGKILL delay for orphans.' },
  },
  notify: {
    webhooks: {
      kind: { type: 'webhooks' },
      default: [],
      doc: 'Array of {url, format: auto|json|discord|slack, events?: [names]}.',
    },
    ntfy: {
      kind: { type: 'ntfy' },
      default: [],
      doc: 'Array of {url: topic URL, token?, priority?: 1-5, tags?: [..], events?}.',
    },
    telegram: {
      kind: { type: 'telegram' },
      default: [],
      doc: 'Array of {botToken (secret), chatId, apiRoot?, events?}.',
    },
    commands: {
      kind: { type: 'commands' },
      default: [],
      doc: 'Array of {argv (no shell), timeoutMs?, events?}: the alert as JSON on stdin.',
    },
    remindAfterSec: {
      kind: int(60, 86_400 * 7),
      nullable: true,
      default: null,
      doc: 'Re-alert while an incident lasts this long. Default: never.',
    },
    timeoutMs: {
      kind: int(100, 60_000),
      default: 5000,
      doc: 'Timeout of one alert request; a channel that fails is tried again by a later check.',
    },
    outboxMax: {
      kind: int(1, 10_000),
      default: 100,
      doc: 'Undelivered alerts kept for later checks to retry (all channels); past it the oldest are dropped, counted.',
    },
    outboxMaxAgeSec: {
      kind: int(60, 30 * 86_400),
      default: 86_400,
      doc: 'Undelivered alerts older than this are dropped, counted.',
    },
    retryDelaySec: {
      kind: int(0, 86_400),
      default: 30,
      doc: 'A channel that failed is retried by the first check this long after; the delay doubles with each failed retry.',
    },
    retryMaxDelaySec: { kind: int(0, 86_400), default: 900, doc: 'Cap on the retry delay.' },
    heartbeat: {
      kind: { type: 'heartbeat' },
      nullable: true,
      default: null,
      doc: "Dead-man's switch pinged after every check: {url, format: auto|healthchecks|uptime-kuma|json, start?, timeoutMs?}.",
    },
  },
  disk: {
    warnFreePercent: {
      kind: int(0, 100),
      nullable: true,
      default: 5,
      doc: "disk_low alert when a filesystem holding the state dir or OpenClaw's log dir has less free space than this percentage. null: off.",
    },
    warnFreeMB: {
      kind: int(0, 1 << 30),
      nullable: true,
      default: 1024,
      doc: 'disk_low alert when such a filesystem has less than this many MiB free. null: off.',
    },
  },
  channels: {
    checkEverySec: {
      kind: int(0, 86_400),
      default: 300,
      doc: 'Ask the gateway for its channel accounts (`channels.status`, needs the token) this often on a healthy check, and at once whenever `/readyz` names a failing channel. 0: every check.',
    },
    staleAfterSec: {
      kind: int(0, 86_400 * 7),
      default: 600,
      doc: 'A connected account with no transport activity for this long is down (0: never).',
    },
    downAfterSec: {
      kind: int(0, 86_400 * 7),
      default: 600,
      doc: 'An account down this long alerts `channel_down` and is restarted alone (channels.stop + channels.start); still down this long after that, the gateway is restarted gracefully.',
    },
    verifySec: {
      kind: int(0, 600),
      default: 20,
      doc: 'After restarting an account alone, watch it this long (`channels.status` every second): `channel_restart` is ok only if it runs and stays ready. 0: not watched (ok when channels.start answered).',
    },
    action: {
      kind: { type: 'enum', values: ['restart', 'alert'] },
      default: 'restart',
      doc: '`alert`: only alert `channel_down` / `channel_recovered`, restart nothing.',
    },
  },
  metrics: {
    textfile: {
      kind: { type: 'string' },
      nullable: true,
      default: null,
      doc: 'Prometheus textfile written after every check (node_exporter textfile collector).',
    },
  },
  events: {
    maxBytes: {
      kind: int(4096, 1 << 30),
      default: 5 * 1024 * 1024,
      doc: 'Event log size before rotation.',
    },
    maxFiles: { kind: int(1, 50), default: 3, doc: 'Rotated event logs kept.' },
  },
  memory: {
    warnAboveMB: {
      kind: { type: 'mib', min: 1, max: 1 << 24 },
      nullable: true,
      default: 'auto',
      doc: "RSS of the gateway and all its descendants above which `memory_high` alerts (once per incident). `auto`: OpenClaw's own warning level, max(1536 MiB, half the V8 heap limit) capped at 50 % of the cgroup limit or RAM; null: off.",
    },
    restartAboveMB: {
      kind: { type: 'mib', min: 1, max: 1 << 24 },
      nullable: true,
      default: 'auto',
      doc: 'RSS of the gateway and all its descendants above which, sustained for memory.sustainSec, the gateway is restarted gracefully (reason `memory`). `auto`: 80 % of the cgroup limit or RAM; null: never.',
    },
    sustainSec: {
      kind: int(0, 86_400),
      default: 120,
      doc: 'How long the RSS must stay above memory.restartAboveMB, across checks, before a restart.',
    },
    drainSec: {
      kind: int(0, 3600),
      default: 300,
      doc: 'How long a graceful restart lets the gateway finish its work: the in-place restart (channel escalation) is forced after it. A SIGTERM stop waits at least this long, and longer while the gateway still answers (up to its own shutdown budget); SIGKILL only for a gateway that no longer answers.',
    },
  },
  children: {
    warnCount: {
      kind: int(1, 1_000_000),
      nullable: true,
      default: 50,
      doc: 'More descendants of the live gateway than this alert `children_high` (once per incident, counts by command name). Alert only; null: off.',
    },
  },
  eventLoop: {
    warnMs: {
      kind: int(1, 3_600_000),
      nullable: true,
      default: 1000,
      doc: '`/readyz` event-loop delay (p99 or max) above which a check counts as lagging. Alert only; null: off.',
    },
    afterChecks: {
      kind: int(1, 1000),
      default: 3,
      doc: 'Consecutive lagging healthy checks before `event_loop_lag` alerts (once per stretch).',
    },
  },
  breaker: {
    action: {
      kind: { type: 'enum', values: ['recover', 'alert'] },
      default: 'recover',
      doc: "OpenClaw's safe mode (its crash-loop breaker suppressed the channels; always alerted `gateway_safe_mode`). `recover`: once its boot ledger holds no unclean boot in the last 300 s besides the running one, one clean in-place restart (`gateway.restart.request`, needs the token) restores the channels at once, never inside the window, never a stop; `alert`: leave it to OpenClaw, which restores them at its next health-monitor tick (300-660 s after the safe-mode boot).",
    },
  },
  lock: {
    staleSec: {
      kind: int(2, 3600),
      default: 30,
      doc: 'A check lock not refreshed for this long (a killed or stalled check), or dated more than this in the future, is taken over; a stalled holder then acts no more.',
    },
  },
} as const satisfies Record<string, Record<string, KeySpec>>;

type Schema = typeof SCHEMA;

/** The watchdog's settings, every key typed from the table above. */
export type Settings = {
  -readonly [Section in keyof Schema]: {
    -readonly [Key in keyof Schema[Section]]: SettingOf<Schema[Section][Key]>;
  };
};

/** The table as plain records of key specs, for code that walks it by name. */
export const SCHEMA_TABLE: Record<string, Record<string, KeySpec>> = SCHEMA;

/** Defaults for every key, as a Settings object. */
export function defaultSettings(): Settings {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [section, keys] of Object.entries(SCHEMA_TABLE)) {
    out[section] = {};
    for (const [key, spec] of Object.entries(keys)) {
      out[section][key] = structuredClone(spec.default);
    }
  }
  return out as Settings;
}
