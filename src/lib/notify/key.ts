import { createHash } from 'node:crypto';

/** A channel key: its kind and a short hash of what identifies it (its URL, …). Never a secret. */
export function channelKey(kind: string, ...identity: string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  return `${kind}:${hash.slice(0, 16)}`;
}
