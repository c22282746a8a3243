/**
 * The one place text reaches a terminal. Every byte the watchdog prints (stdout, stderr: cron mails
 * it) goes through `out`/`err`, which escape what a terminal would act on: C0 controls but the
 * newline and tab, DEL, C1 controls (`\u009b` is a CSI on some terminals), the line and paragraph
 * separators and the bidi overrides. A channel id, an account id, a gateway error or a log line
 * then shows as `\u001b[31m`, never as a colour, a cleared screen or a forged line. Within a
 * JSON text the escape is the same character again (valid JSON, the same value).
 */

/* eslint-disable no-control-regex -- matching them is the point */
const TERMINAL_UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const VALUE_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text for a terminal: every unsafe character escaped, newlines and tabs kept. Pure. */
export const forTerminal = (text: string): string => text.replace(TERMINAL_UNSAFE, escape);

/** One untrusted value within a line (an id, an error): newlines and tabs escaped too. Pure. */
export const printable = (value: string): string => value.replace(VALUE_UNSAFE, escape);

/** Writes to stdout, escaped for the terminal. */
export function out(text: string): void {
  process.stdout.write(forTerminal(text));
}

/** Writes to stderr, escaped for the terminal. */
export function err(text: string): void {
  process.stderr.write(forTerminal(text));
}
