import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Where OpenClaw 2026.9 writes its file log (dist logger-*.mjs): `logging.file` from openclaw.json
 * (`~` expanded; a name shaped `openclaw-YYYY-MM-DD.log` still rolls daily), else
 * `/tmp/openclaw/openclaw[-<profile>]-YYYY-MM-DD.log` by local date, or under
 * `$TMPDIR/openclaw-<uid>` when /tmp/openclaw is unsafe. Not moved by OPENCLAW_STATE_DIR.
 */
export interface LogLocation {
  home: string;
  profile: string | null;
  /** `logging.file`, when configured. */
  file: string | null | undefined;
  uid: number | null;
}

const ROLLING = /^(openclaw(?:-[a-z0-9-]+)?)-(\d{4}-\d{2}-\d{2})\.log$/;

/** The profile as it appears in the log's name: `a-z0-9` kept, `-` → `--`, `_` → `-0`, `A` → `-1a`. */
export function logProfileSegment(profile: string): string {
  let out = '';
  for (const c of profile) {
    if (/^[a-z0-9]$/.test(c)) out += c;
    else if (c === '-') out += '--';
    else if (c === '_') out += '-0';
    else if (/^[A-Z]$/.test(c)) out += `-1${c.toLowerCase()}`;
    else out += `-2${c.codePointAt(0)?.toString(16) ?? '0'}-`;
  }
  return out;
}

/** `YYYY-MM-DD` in local time, as OpenClaw names its files. */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The files to look in, best first: the log of `day`, then of the day before (a gateway that died
 * just before midnight), in each directory OpenClaw may use. A fixed `logging.file` is one file.
 */
export function openclawLogFiles(where: LogLocation, day: Date): string[] {
  const days = [day, new Date(day.getTime() - 24 * 3600 * 1000)];
  if (where.file) {
    const file = where.file.replace(/^~(?=$|\/)/, where.home);
    const name = basename(file);
    const family = name === 'openclaw-YYYY-MM-DD.log' ? 'openclaw' : ROLLING.exec(name)?.[1];
    if (family !== 'openclaw') return [file]; // only the legacy default shape rolls
    return days.map((d) => join(dirname(file), `openclaw-${localDate(d)}.log`));
  }
  const segment = where.profile ? `-${logProfileSegment(where.profile)}` : '';
  const dirs = ['/tmp/openclaw', join(tmpdir(), `openclaw-${where.uid ?? 'unknown'}`)];
  return days.flatMap((d) =>
    dirs.map((dir) => join(dir, `openclaw${segment}-${localDate(d)}.log`)),
  );
}

/**
 * One line of OpenClaw's JSON Lines file log, for a human: `<time> <LEVEL> [<subsystem>] <message>`.
 * A line that is not such JSON is kept as it is.
 */
export function renderLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const r = JSON.parse(line) as Record<string, unknown>;
    const meta = (r._meta ?? {}) as Record<string, unknown>;
    const message =
      typeof r.message === 'string' ? r.message : typeof r['1'] === 'string' ? r['1'] : null;
    if (message === null) return line;
    const level = typeof meta.logLevelName === 'string' ? ` ${meta.logLevelName}` : '';
    const time = typeof r.time === 'string' ? r.time : '';
    let subsystem = '';
    try {
      const name = JSON.parse(String(meta.name ?? r['0'] ?? '')) as { subsystem?: unknown };
      if (typeof name.subsystem === 'string') subsystem = ` [${name.subsystem}]`;
    } catch {
      // no subsystem
    }
    return `${time}${level}${subsystem} ${message}`.trim();
  } catch {
    return line;
  }
}

/** When a JSON log line was written (epoch ms), from its `time`; NaN when it has none. */
export function logLineTime(line: string): number {
  if (!line.startsWith('{')) return NaN;
  const m = /"time":"([^"]+)"/.exec(line);
  return m ? Date.parse(m[1]!) : NaN;
}
