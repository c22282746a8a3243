import type { ProbeResult } from './types.js';

/** One line a person reads at a glance. */
export function formatProbe(r: ProbeResult): string {
  const parts = [`${r.verdict}: ${r.host}:${r.port} (${r.reason}, ${r.ms} ms)`];
  if (r.version) parts.push(`version ${r.version}`);
  if (r.startup) parts.push(`startup ${r.startup}`);
  if (r.ready !== null)
    parts.push(r.ready ? 'ready' : `not ready: ${r.failing.join(', ') || 'unknown'}`);
  const loop = r.eventLoop;
  if (loop && loop.degraded === true)
    parts.push(`event loop degraded (p99 ${String(loop.delayP99Ms)} ms)`);
  const connect = r.steps.ws?.connect;
  if (connect && connect !== 'hello-ok' && !r.steps.deep) parts.push(`connect: ${connect}`);
  const deep = r.steps.deep;
  if (deep) {
    if (!deep.ok) parts.push(`deep: ${deep.code}${deep.message ? ` (${deep.message})` : ''}`);
    else {
      const channels = deep.channels ?? [];
      parts.push(
        channels.length
          ? `channels: ${channels.map((c) => `${c.id} ${c.state ?? (c.connected ? 'connected' : 'disconnected')}`).join(', ')}`
          : 'channels: none',
      );
    }
  }
  return parts.join('; ');
}
