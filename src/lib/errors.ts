import { redactDeep } from './redact.js';

/** A mistake the user can fix: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A configuration file or value that cannot be used. Names the file, the key and the value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${keyPath ? `${keyPath}: ` : ''}${detail}`, options);
  }
}

/** Errors that are the user's to fix: exit 2 with one line. */
export function isUserError(error: unknown): error is UsageError | ConfigError {
  return error instanceof UsageError || error instanceof ConfigError;
}

/** Shows a value in an error message: short, and never a secret (nor anything shaped like a key). */
export function showValue(value: unknown, secret = false): string {
  if (secret) return '<redacted>';
  const text = JSON.stringify(redactDeep(value)) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The `code` of a system or library error (ENOENT, ECONNREFUSED, ELOCKED, ...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
