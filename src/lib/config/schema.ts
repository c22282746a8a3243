/**
 * The watchdog's own settings: every key, its type, range, default and meaning. This table is
 * the contract users' files rely on; docs/configuration.md is generated from it (`npm run docs`).
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
  /** The default as docs/configuration.md shows it, when it is not a value (worked out at run time). */
  defaultText?: string;
  /** Its meaning, one line of Markdown: the row of docs/configuration.md (`npm run docs`). */
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
      defaultText: 'as OpenClaw resolves it',
      doc: 'Gateway port (see [Where it looks](#where-it-looks)).',
    },
    host: {
      kind: { type: 'string', host: true },
      default: '127.0.0.1',
      doc: 'Address the probe connects to: an IP address or a host name.',
    },
    token: {
      kind: { type: 'string', secret: true },
      nullable: true,
      default: null,
      defaultText: 'from openclaw.json / env',
      doc: "Gateway token: the probe's `connect`, channel checks (`channels.status`), the in-place memory restart (`gateway.restart.request`) and `probe --deep`. Never logged.",
    },
  },
  probe: {
    timeoutMs: {
      kind: int(100, 60_000),
      default: 5000,
      doc: 'Whole-probe budget, HTTP and WebSocket together (100–60000).',
    },
    hungAfterSec: {
      kind: int(0, 86_400),
      default: 60,
      doc: 'How long a gateway may stay unresponsive, across checks, before it is stopped and restarted.',
    },
    startupGraceSec: {
      kind: int(0, 86_400),
      default: 120,
      doc: 'A gateway younger than this is starting, never dead; the grace used is max(this, 2 × slowest boot seen).',
    },
  },
  restart: {
    command: {
      kind: { type: 'argv' },
      nullable: true,
      default: null,
      doc: 'Argument array that starts the gateway (no shell). Default: the systemd user unit if installed, else `openclaw gateway run`.',
    },
    openclaw: {
      kind: { type: 'string' },
      nullable: true,
      default: null,
      doc: 'Path to `openclaw`. Default: found on PATH, then in `~/.npm-global/bin`, `~/.local/bin`, pnpm, bun, volta, `~/.nvm/versions/node/*/bin` (newest first), fnm, `/usr/local/bin`.',
    },
    verifyTimeoutSec: {
      kind: int(1, 3600),
      default: 60,
      doc: 'How long a check waits for a restarted gateway to answer. A gateway still booting then is left to boot.',
    },
    stopTimeoutSec: {
      kind: int(0, 3600),
      default: 10,
      doc: 'SIGTERM → SIGKILL delay for a gateway that does not answer (hung); one that answers is never SIGKILLed.',
    },
    stableAfterSec: {
      kind: int(0, 86_400),
      default: 300,
      doc: 'Healthy this long after a restart resets the backoff.',
    },
    baseDelaySec: {
      kind: int(0, 86_400),
      default: 60,
      doc: 'Delay before the second consecutive restart; doubles after each.',
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
      doc: 'While healthy, only orphans older than this are reaped (a helper just started by hand is left alone), looked for every min(60 s, this / 4). Before a restart, all go.',
    },
    patterns: {
      kind: { type: 'strings' },
      default: ['openclaw-*'],
      doc: "Names (glob, `*` only) of the gateway's helpers, matched against the process name, its title (argv[0]) and the title's basename, never the arguments.",
    },
    action: {
      kind: { type: 'enum', values: ['reap', 'report'] },
      default: 'reap',
      doc: '`"report"` only logs `orphans_found`.',
    },
    killTimeoutSec: { kind: int(0, 600), default: 5, doc: 'SIGTERM → SIGKILL delay for orphans.' },
  },
  notify: {
    webhooks: {
      kind: { type: 'webhooks' },
      default: [],
      doc: "`[{url, format, events}]`; `format` `auto` (Discord's or Slack's shape for their URLs, else JSON), `json`, `discord`, `slack`; `events` overrides which events alert.",
    },
    ntfy: {
      kind: { type: 'ntfy' },
      default: [],
      doc: '`[{url, token, priority, tags, events}]`: ntfy topics (topic URL, may hold `user:pass`; `token`; `priority` 1–5, by level if unset). See [Alert channels](alerts-and-heartbeat.md#alert-channels).',
    },
    telegram: {
      kind: { type: 'telegram' },
      default: [],
      doc: '`[{botToken, chatId, apiRoot, events}]`: Telegram chats through a bot (`botToken` is a secret; `chatId` numeric or `@channel`).',
    },
    commands: {
      kind: { type: 'commands' },
      default: [],
      doc: '`[{argv, timeoutMs, events}]`: programs run with the alert as JSON on stdin (no shell), killed past `timeoutMs`; non-zero exit = failed.',
    },
    remindAfterSec: {
      kind: int(60, 86_400 * 7),
      nullable: true,
      default: null,
      doc: 'Re-alert (`incident_reminder`) while an incident lasts this long; default never.',
    },
    timeoutMs: {
      kind: int(100, 60_000),
      default: 5000,
      doc: 'Timeout of one alert request or command. A channel that fails is not tried again in the same check: its alerts wait in the outbox.',
    },
    outboxMax: {
      kind: int(1, 10_000),
      default: 100,
      doc: 'Undelivered alerts kept in the outbox (all channels together); past it the oldest are dropped, counted (`notify_dropped`).',
    },
    outboxMaxAgeSec: {
      kind: int(60, 30 * 86_400),
      default: 86_400,
      doc: 'Undelivered alerts older than this (by when they happened) are dropped, counted (60 s – 30 days).',
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
      doc: "Dead-man's switch pinged after every check: `{url, format, start, timeoutMs}`, see [Heartbeat](alerts-and-heartbeat.md#heartbeat). The URL is a secret (never logged).",
    },
  },
  disk: {
    warnFreePercent: {
      kind: int(0, 100),
      nullable: true,
      default: 5,
      doc: "`disk_low` when a filesystem holding the state dir or OpenClaw's log dir has less free space than this percentage (0–100); `null` turns it off.",
    },
    warnFreeMB: {
      kind: int(0, 1 << 30),
      nullable: true,
      default: 1024,
      doc: '`disk_low` when such a filesystem (not a tmpfs) has less than this many MiB free; `null` turns it off.',
    },
  },
  channels: {
    checkEverySec: {
      kind: int(0, 86_400),
      default: 300,
      doc: 'Ask `channels.status` this often when healthy; at once when `/readyz` names a failing channel.',
    },
    staleAfterSec: {
      kind: int(0, 86_400 * 7),
      default: 600,
      doc: 'A connected account with no transport activity this long is down (0: never).',
    },
    downAfterSec: {
      kind: int(0, 86_400 * 7),
      default: 600,
      doc: 'Down this long: `channel_down`, the account restarted alone; one more window: graceful gateway restart.',
    },
    verifySec: {
      kind: int(0, 600),
      default: 20,
      doc: "After an account's own restart, watch it this long (`channels.status` every second): `channel_restart` is ok only if it runs and stays ready (0: not watched: ok when `channels.start` answered).",
    },
    action: {
      kind: { type: 'enum', values: ['restart', 'alert'] },
      default: 'restart',
      doc: '`"alert"` only alerts `channel_down` / `channel_recovered`.',
    },
  },
  metrics: {
    textfile: {
      kind: { type: 'string' },
      nullable: true,
      default: null,
      doc: "Prometheus textfile written after every check, atomically, mode 0644 (for node_exporter's textfile collector).",
    },
  },
  events: {
    maxBytes: {
      kind: int(4096, 1 << 30),
      default: 5 * 1024 * 1024,
      doc: 'Event log size before rotation.',
    },
    maxFiles: {
      kind: int(1, 50),
      default: 3,
      doc: 'Event log files kept (`events.jsonl`, `.1`, `.2`).',
    },
  },
  memory: {
    warnAboveMB: {
      kind: { type: 'mib', min: 1, max: 1 << 24 },
      nullable: true,
      default: 'auto',
      doc: 'RSS (MiB) of the gateway and all its descendants above which `memory_high` alerts. `"auto"`: OpenClaw\'s own warning level (see [signals](signals.md#memory-ceiling)); `null`: off.',
    },
    restartAboveMB: {
      kind: { type: 'mib', min: 1, max: 1 << 24 },
      nullable: true,
      default: 'auto',
      doc: 'Above this (MiB) for `memory.sustainSec`, a graceful restart. `"auto"`: 80 % of the cgroup limit or RAM; `null`: never.',
    },
    sustainSec: {
      kind: int(0, 86_400),
      default: 120,
      doc: 'How long the RSS must stay above `memory.restartAboveMB`, across checks, before a restart.',
    },
    drainSec: {
      kind: int(0, 3600),
      default: 300,
      doc: "How long a graceful restart for memory, or for the breaker's recovery (in place), lets the gateway finish its work (a channel escalation's in-place restart uses `restart.stopTimeoutSec`). A SIGTERM stop waits at least this long, and longer while the gateway still answers (up to its own shutdown budget); SIGKILL only for a gateway that no longer answers.",
    },
  },
  children: {
    warnCount: {
      kind: int(1, 1_000_000),
      nullable: true,
      default: 50,
      doc: 'More descendants of the live gateway than this alert `children_high`. `null`: off.',
    },
  },
  eventLoop: {
    warnMs: {
      kind: int(1, 3_600_000),
      nullable: true,
      default: 1000,
      doc: '`/readyz` event-loop delay (p99 or max) above which a check counts as lagging. `null`: off.',
    },
    afterChecks: {
      kind: int(1, 1000),
      default: 3,
      doc: 'Lagging healthy checks in a row before `event_loop_lag` alerts.',
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
      doc: 'A check lock not refreshed this long (a killed or stalled check), or dated more than this in the future, is taken over; a stalled holder then acts no more.',
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
