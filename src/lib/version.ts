import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** This package's version, read once from package.json beside dist/ or src/. */
export function packageVersion(): string {
  if (cached) return cached;
  const url = new URL('../../package.json', import.meta.url);
  cached = (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  return cached;
}
