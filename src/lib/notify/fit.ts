/** Cutting alert text to what a service accepts. Pure. */

/** How a service counts its limit: UTF-16 code units (Discord, Telegram, Slack) or UTF-8 bytes (ntfy). */
export type Unit = 'chars' | 'bytes';

export const sizeOf = (text: string, unit: Unit): number =>
  unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;

/** `text` cut to at most `max` (with `…`), never inside a surrogate pair or a UTF-8 sequence. */
export function cut(text: string, max: number, unit: Unit): string {
  if (sizeOf(text, unit) <= max) return text;
  const ellipsis = sizeOf('…', unit);
  let out = '';
  let size = 0;
  for (const c of text) {
    const s = sizeOf(c, unit);
    if (size + s + ellipsis > max) break;
    out += c;
    size += s;
  }
  return `${out}…`;
}

export interface EvidenceStyle {
  max: number;
  unit: Unit;
  /** A Markdown code block (Discord, Slack); plain lines otherwise (Telegram, ntfy, e-mail). */
  fence: boolean;
}

/**
 * The headline, then the gateway's last lines under a short caption, all within `style.max`: the
 * oldest lines are dropped first, so the last words survive; a headline too long on its own is cut.
 * Backtick runs in the lines are defused so a line cannot close the code block.
 */
export function withEvidenceText(
  headline: string,
  evidence: readonly string[] | undefined,
  from: string | undefined,
  style: EvidenceStyle,
): string {
  const head = cut(headline, style.max, style.unit);
  if (!evidence?.length) return head;
  const caption = `Last lines from ${from ?? 'the gateway log'}:`;
  const lines = style.fence ? evidence.map((l) => l.replace(/`/g, 'ˋ')) : [...evidence];
  const render = (kept: string[]) =>
    style.fence
      ? `${head}\n${caption}\n\`\`\`\n${kept.join('\n')}\n\`\`\``
      : `${head}\n${caption}\n${kept.join('\n')}`;
  for (let from0 = 0; from0 < lines.length; from0++) {
    const text = render(lines.slice(from0));
    if (sizeOf(text, style.unit) <= style.max) return text;
  }
  // Not even the last line fits whole: cut it to the room left.
  const room = style.max - sizeOf(render(['']), style.unit);
  if (room < 20) return head;
  return render([cut(lines[lines.length - 1]!, room, style.unit)]);
}
