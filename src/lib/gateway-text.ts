/**
 * Every string taken from the gateway (its errors, ids, status issues, versions, log lines, RPC
 * error messages) is cut here, where it is parsed, before it reaches the state, events, alerts, the
 * outbox or the terminal: a gateway answering a 20 MB `lastError` costs one parse, never a 20 MB
 * event line, webhook body or `status`. Sizes in characters (UTF-16 code units, whole code
 * points kept); a cut text ends with `…`.
 */

/** Errors, messages, OpenClaw's fix text, status issue text. */
export const GATEWAY_TEXT_CHARS = 1000;
/** Channel and account ids, lifecycle and health states, error codes. */
export const GATEWAY_ID_CHARS = 128;
/** A version string. */
export const GATEWAY_VERSION_CHARS = 64;
/** How many `/readyz` failing names are kept. */
export const GATEWAY_LIST_ITEMS = 32;

/** `text` at most `max` characters: longer, its first `max - 1` and `…`. Pure. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A gateway text field: a non-empty string cut to GATEWAY_TEXT_CHARS, else null. */
export const gatewayText = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? cutText(v, GATEWAY_TEXT_CHARS) : null;

/** A gateway id or code: a non-empty string cut to GATEWAY_ID_CHARS, else null. */
export const gatewayId = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? cutText(v, GATEWAY_ID_CHARS) : null;

/** A gateway version: a non-empty string cut to GATEWAY_VERSION_CHARS, else null. */
export const gatewayVersion = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? cutText(v, GATEWAY_VERSION_CHARS) : null;
