import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';

const require = createRequire(import.meta.url);

/**
 * Parses JSON5. Plain JSON takes the fast path (JSON.parse); only files that use JSON5 syntax
 * load the json5 package, which keeps the common check cheap.
 */
export function parseJson5(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // not plain JSON: fall through to JSON5
  }
  const JSON5 = require('json5') as { parse(text: string): unknown };
  try {
    return JSON5.parse(text);
  } catch (error) {
    const where = error as { lineNumber?: number; columnNumber?: number; message?: string };
    const at = where.lineNumber ? ` (line ${where.lineNumber}, column ${where.columnNumber})` : '';
    const reason = (where.message ?? 'invalid JSON5')
      .replace(/^JSON5: /, '')
      .replace(/ at \d+:\d+$/, '');
    throw new ConfigError(file, '', `not valid JSON5${at}: ${reason}`, { cause: error });
  }
}
