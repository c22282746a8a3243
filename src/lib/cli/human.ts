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

/** An event's details as `key=value`, compact, one line. */
export function details(event: Record<string, unknown>): string {
  return Object.entries(event)
    .filter(([k]) => !['ts', 'level', 'event'].includes(k))
    .map(
      ([k, v]) =>
        `${k}=${typeof v === 'string' ? (v.includes(' ') || v.includes('\n') ? JSON.stringify(v) : v) : JSON.stringify(v)}`,
    )
    .join(' ');
}
