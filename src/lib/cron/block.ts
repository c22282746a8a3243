/**
 * The managed crontab blocks, one per state dir: pure text functions. The crontab is read as
 * lines; only exact marker lines count (a commented-out or indented marker is a foreign line), and
 * every line outside our blocks is kept byte for byte, CRLF endings included.
 */
import { UsageError } from '../errors.js';

/** The marker of the single block that versions before 0.2 wrote: read as the default block. */
export const LEGACY_BEGIN =
  '# >>> openclaw-watchdog (managed block; remove with: openclaw-watchdog uninstall-cron) >>>';
export const LEGACY_END = '# <<< openclaw-watchdog <<<';

export const beginMarker = (stateDir: string) =>
  `# >>> openclaw-watchdog (state dir ${stateDir}) >>>`;
export const endMarker = (stateDir: string) =>
  `# <<< openclaw-watchdog (state dir ${stateDir}) <<<`;

const BEGIN_RE = /^# >>> openclaw-watchdog \(state dir (.+)\) >>>$/;
const END_RE = /^# <<< openclaw-watchdog \(state dir (.+)\) <<<$/;

export type Every = '30s' | '1m' | '2m' | '5m';
export const EVERY: readonly Every[] = ['30s', '1m', '2m', '5m'];

/** A crontab that we cannot edit safely: exit 2, nothing written. */
export class CrontabMarkerError extends UsageError {
  override name = 'CrontabMarkerError';
}

/** Quotes one word for /bin/sh. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quotes one word for a crontab line: sh quoting, and `%` escaped (cron turns it into a newline). */
export function cronQuote(word: string): string {
  return shQuote(word).replace(/%/g, '\\%');
}

/** The block for a cadence. Cron's unit is a minute: 30 s is a second entry behind `sleep 30`. */
export function renderBlock(stateDir: string, command: string, every: Every): string {
  const lines = [beginMarker(stateDir)];
  if (every === '30s') lines.push(`* * * * * ${command}`, `* * * * * sleep 30; ${command}`);
  else if (every === '1m') lines.push(`* * * * * ${command}`);
  // Stryker disable next-line UnaryOperator: slice(0, 1) is slice(0, -1) for '2m' and '5m'
  else lines.push(`*/${every.slice(0, -1)} * * * * ${command}`);
  lines.push(endMarker(stateDir));
  return `${lines.join('\n')}\n`;
}

export interface Block {
  /** The state dir in the marker; null for a block in the old, single-block form. */
  stateDir: string | null;
  /** 0-based indexes of the begin and end marker lines. */
  begin: number;
  end: number;
  /** The lines between the markers, without line endings. */
  entries: string[];
}

export interface ParsedCrontab {
  /** Every line with its own ending (`\n`, `\r\n`, or none for a last line without one). */
  lines: string[];
  blocks: Block[];
}

type Marker = { kind: 'begin' | 'end'; stateDir: string | null };

function marker(line: string): Marker | null {
  const text = line.replace(/[ \t\r\n]+$/, '');
  if (text === LEGACY_BEGIN) return { kind: 'begin', stateDir: null };
  // Stryker disable next-line StringLiteral: only 'begin' is compared; any other kind is an end
  if (text === LEGACY_END) return { kind: 'end', stateDir: null };
  const begin = BEGIN_RE.exec(text);
  if (begin) return { kind: 'begin', stateDir: begin[1]! };
  const end = END_RE.exec(text);
  // Stryker disable next-line StringLiteral: only 'begin' is compared; any other kind is an end
  if (end) return { kind: 'end', stateDir: end[1]! };
  return null;
}

const where = (stateDir: string | null) =>
  stateDir === null ? 'openclaw-watchdog' : `openclaw-watchdog (state dir ${stateDir})`;
const unbalanced = (detail: string) =>
  new CrontabMarkerError(
    `your crontab: ${detail}; fix it by hand (crontab -e), nothing was changed`,
  );

/** Splits a crontab into lines and finds our blocks; unbalanced markers are a CrontabMarkerError. */
export function parseCrontab(text: string): ParsedCrontab {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const blocks: Block[] = [];
  let open: { stateDir: string | null; begin: number } | null = null;
  lines.forEach((line, i) => {
    const m = marker(line);
    if (!m) return;
    if (m.kind === 'begin') {
      if (open)
        throw unbalanced(
          `line ${i + 1}: a ${where(m.stateDir)} start marker inside the block opened on line ${open.begin + 1}`,
        );
      if (blocks.some((b) => b.stateDir === m.stateDir))
        throw unbalanced(`line ${i + 1}: a second ${where(m.stateDir)} block`);
      open = { stateDir: m.stateDir, begin: i };
      return;
    }
    if (!open)
      throw unbalanced(`line ${i + 1}: a ${where(m.stateDir)} end marker without its start marker`);
    if (open.stateDir !== m.stateDir)
      throw unbalanced(
        `line ${i + 1}: the end marker does not match the ${where(open.stateDir)} start marker on line ${open.begin + 1}`,
      );
    const entries = lines.slice(open.begin + 1, i).map((l) => l.replace(/\r?\n$/, ''));
    blocks.push({ stateDir: open.stateDir, begin: open.begin, end: i, entries });
    open = null;
  });
  if (open) {
    const { stateDir, begin } = open as { stateDir: string | null; begin: number };
    throw unbalanced(`line ${begin + 1}: a ${where(stateDir)} start marker without its end marker`);
  }
  return { lines, blocks };
}

/** The crontab with `block` in place of `old` (or appended when there is none); null removes. */
export function replaceBlock(
  parsed: ParsedCrontab,
  old: Block | undefined,
  block: string | null,
): string {
  const { lines } = parsed;
  if (old) {
    const after = lines.slice(old.end + 1);
    return [...lines.slice(0, old.begin), block ?? '', ...after].join('');
  }
  const text = lines.join('');
  if (block === null) return text;
  return (text === '' || text.endsWith('\n') ? text : `${text}\n`) + block;
}

/** The cadence a block runs at, read from its entries. */
export function blockEvery(block: Block): Every | null {
  const entries = block.entries.filter((l) => /^\S/.test(l) && !l.startsWith('#'));
  if (entries.some((l) => / sleep 30; /.test(l))) return '30s';
  // Stryker disable next-line StringLiteral: any fallback that is no cron entry matches nothing
  const step = /^\*\/(\d+) /.exec(entries[0] ?? '');
  if (step) return EVERY.find((e) => e === `${step[1]}m`) ?? null;
  return entries[0]?.startsWith('* * * * * ') ? '1m' : null;
}
