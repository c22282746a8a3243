import { readFileSync } from 'node:fs';

export interface LogLine {
  message?: string;
  _meta?: { logLevelName?: string };
}

/** The lines of a gateway's JSON-lines file log (OpenClaw's, or the fake's `--log-file`); none yet: []. */
export function logLines(file: string): LogLine[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      try {
        return JSON.parse(l) as LogLine;
      } catch {
        return {};
      }
    });
}

/** The messages of its WARN lines. */
export const warnings = (file: string): string[] =>
  logLines(file)
    .filter((l) => l._meta?.logLevelName === 'WARN')
    .map((l) => l.message ?? '');
