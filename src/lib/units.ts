/** Milliseconds as seconds, to a tenth: what events and messages show. */
export const secs = (ms: number): number => Math.round(ms / 100) / 10;

/** Epoch milliseconds as ISO 8601 UTC. */
export const iso = (ms: number): string => new Date(ms).toISOString();
