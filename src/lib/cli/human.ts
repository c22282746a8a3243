import { printable } from './terminal.js';

/** Small formatting helpers for the human views. */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  return `${duration((now - Date.parse(iso)) / 1000)} ago`;
}

export function duration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

export function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** Local time, to the second: what a person at the terminal reads. */
export function localTime(iso: unknown): string {
  const d = new Date(String(iso));
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Fields that carry a gateway's last lines: shown only on request (events --evidence, status --verbose). */
const EVIDENCE_KEYS = ['evidence', 'evidenceFrom', 'evidenceNote'];
/** The longest value a one-line view shows; the rest is in --json (and --evidence/--verbose). */
export const VALUE_CHARS = 200;

/**
 * An event's details as `key=value`, compact, one line: every value escaped for the terminal
 * (an id or error holding control characters or a newline stays on its line), long values cut,
 * and the gateway's last lines (`evidence`) counted, not shown, unless `full`.
 */
export function details(event: Record<string, unknown>, full = false): string {
  const cut = (text: string) =>
    !full && text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
  const fields = Object.entries(event).filter(
    ([k]) => !['ts', 'level', 'event'].includes(k) && (full || !EVIDENCE_KEYS.includes(k)),
  );
  const shown = fields.map(([k, v]) => {
    const text = typeof v === 'string' && !/[\s"]/.test(v) ? v : JSON.stringify(v);
    return `${printable(k)}=${printable(cut(String(text)))}`;
  });
  const lines = Array.isArray(event.evidence) ? event.evidence.length : 0;
  if (!full && lines) shown.push(`(+${lines} evidence lines)`);
  return shown.join(' ');
}

/** The gateway's last lines an event carries, one indented line each (for --evidence, --verbose). */
export function evidenceLines(event: Record<string, unknown>, indent = '    '): string[] {
  if (!Array.isArray(event.evidence)) return [];
  const from = typeof event.evidenceFrom === 'string' ? ` from ${event.evidenceFrom}` : '';
  const note = typeof event.evidenceNote === 'string' ? ` (${event.evidenceNote})` : '';
  return [
    `${indent}evidence${printable(from)}${printable(note)}:`,
    ...event.evidence.map((l) => `${indent}| ${printable(String(l))}`),
  ];
}
