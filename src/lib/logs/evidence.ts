import { statSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { configSecrets } from '../config/secrets.js';
import { watchdogFiles } from '../files.js';
import { redactText } from '../redact.js';
import type { WatchdogEvent } from '../store/event-types.js';
import type { State } from '../store/state.js';
import { logLineTime, openclawLogFiles, renderLogLine } from './openclaw-log.js';
import { readTail } from './tail.js';

/** What an alert carries of the gateway's last words. */
export interface Evidence {
  lines: string[];
  /** The file they came from. */
  from: string;
  /** Said with the lines when they come from OpenClaw's shared log: they may be another gateway's. */
  note?: string;
}

/** The other gateways of this user the check saw alive (not ours), and our port. */
export interface SharedLogContext {
  port: number;
  otherGateways: number;
}

/** Lines kept per alert, and characters per line: an alert is not a log viewer. */
export const EVIDENCE_LINES = 15;
const LINE_CHARS = 400;
const TAIL_BYTES = 16 * 1024;
/** OpenClaw's log lines at least this recent count (more when the last healthy check is older). */
const RECENT_MS = 10 * 60_000;

/** Events that carry the gateway's last lines. */
const WANTS_EVIDENCE = new Set(['gateway_down', 'gateway_hung']);

/**
 * The last lines the gateway printed, secrets redacted: from the watchdog's gateway.log when the
 * watchdog started it (state.spawned, not through systemd, the log written since), else from
 * OpenClaw's own file log for the day, its lines of the last minutes (JSON lines rendered). That
 * file is shared by every gateway of the user on the host and its lines carry no pid: a line
 * naming another port is dropped (provably another gateway's), and the lines come with a note that
 * they may be another gateway's (naming how many others are running). Reads at most a few KiB
 * from each file's end.
 */
export function gatewayEvidence(
  config: Config,
  state: State,
  now: number,
  shared: SharedLogContext = { port: config.port, otherGateways: 0 },
): Evidence | null {
  const uid = process.getuid?.() ?? null;
  const secrets = configSecrets(config);
  const clean = (lines: string[]) =>
    lines.map((l) => {
      const line = redactText(l, secrets);
      return line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS - 1)}…` : line;
    });
  const spawned = state.spawned;
  const gatewayLog = watchdogFiles(config).gatewayLog;
  if (spawned && spawned.method !== 'systemd' && writtenSince(gatewayLog, spawned.at)) {
    const lines = readTail(gatewayLog, {
      maxBytes: TAIL_BYTES,
      maxLines: EVIDENCE_LINES,
      ownerUid: uid,
    });
    if (lines?.length) return { lines: clean(lines), from: gatewayLog };
  }
  const where = {
    home: config.paths.home,
    profile: config.paths.profile,
    file: config.openclawLogFile,
    uid,
  };
  // Shared by every gateway of the user: only lines of this stretch (since the last healthy check,
  // and at least the last RECENT_MS) say anything about this death.
  const since = Math.min(now - RECENT_MS, state.lastHealthyAt ?? Infinity);
  for (const file of openclawLogFiles(where, new Date(now))) {
    const lines = readTail(file, { maxBytes: TAIL_BYTES, maxLines: EVIDENCE_LINES, ownerUid: uid });
    const recent = (lines ?? []).filter(
      (l) => !(logLineTime(l) < since) && !namesOtherPort(l, shared.port),
    );
    if (recent.length)
      return { lines: clean(recent.map(renderLogLine)), from: file, note: sharedNote(shared) };
  }
  return null;
}

/** An address and its port (`127.0.0.1:18804`, `[::1]:18804`, `localhost:18804`); group 1: the port. */
const ENDPOINT = String.raw`(?:\[[^\]\s]*\]|[^\s/:"'\\[\]]+):(\d{1,5})\b`;
/**
 * Where a line names a gateway's port: a URL (`ws://127.0.0.1:18804`), `port 18804`, the Host
 * header OpenClaw logs (`host=127.0.0.1:18804`) and the local end of a connection
 * (`peer=127.0.0.1:53120->127.0.0.1:18804`; the remote end is a client's port, never a gateway's).
 */
const PORT_FORMS = [
  new RegExp(String.raw`\b(?:wss?|https?):\/\/${ENDPOINT}`, 'g'),
  /\bport[ =:]+(\d{1,5})\b/gi,
  new RegExp(String.raw`\bhost=${ENDPOINT}`, 'g'),
  new RegExp(String.raw`->${ENDPOINT}`, 'g'),
];

/** A URL, `port N`, `host=…:N` or `peer=…->…:N` in the line names a port other than ours:
 * another gateway's line. Pure. */
export function namesOtherPort(line: string, port: number): boolean {
  const ports = PORT_FORMS.flatMap((form) => [...line.matchAll(form)]).map((m) => Number(m[1]));
  return ports.some((p) => p !== port);
}

/** What the alert says of lines from the shared log. Pure. */
export function sharedNote(shared: SharedLogContext): string {
  const n = shared.otherGateways;
  const running =
    n > 0
      ? `; ${n} other gateway${n === 1 ? ' is' : 's are'} running, these lines may be theirs`
      : '';
  return `OpenClaw's log, shared by every gateway of this user${running}; lines naming another port left out`;
}

/** Modified at or after `at` (epoch ms; a second of slack for coarse timestamps). */
function writtenSince(file: string, at: number): boolean {
  try {
    return statSync(file).mtimeMs >= at - 1000;
  } catch {
    return false;
  }
}

/**
 * `gateway_down` and `gateway_hung` events with the gateway's last lines attached. `gather` runs
 * only when there is such an event (never on a healthy check), and at most once.
 */
export function withEvidence(
  events: WatchdogEvent[],
  gather: () => Evidence | null,
): WatchdogEvent[] {
  if (!events.some((e) => WANTS_EVIDENCE.has(e.event))) return events;
  let evidence: Evidence | null;
  try {
    evidence = gather();
  } catch {
    evidence = null; // evidence is a courtesy: it never stops a check
  }
  if (!evidence) return events;
  return events.map((e) =>
    e.event === 'gateway_down' || e.event === 'gateway_hung'
      ? {
          ...e,
          evidence: evidence.lines,
          evidenceFrom: evidence.from,
          ...(evidence.note ? { evidenceNote: evidence.note } : {}),
        }
      : e,
  );
}
