import { join } from 'node:path';
import type { Config } from './config/load.js';
import type { Paths } from './config/paths.js';
import { defaultSettings } from './config/schema.js';
import { configSecrets } from './config/secrets.js';
import type { EventLogOptions } from './store/events.js';

/** The watchdog's files, all under `<state dir>/watchdog/` (paths alone: no config needs to load). */
export function watchdogFiles(config: { paths: Pick<Paths, 'watchdogDir'> }) {
  const dir = config.paths.watchdogDir;
  return {
    dir,
    state: join(dir, 'state.json'),
    events: join(dir, 'events.jsonl'),
    gatewayLog: join(dir, 'gateway.log'),
    outbox: join(dir, 'outbox.json'),
    counters: join(dir, 'counters.json'),
  };
}

/**
 * Event log settings, with every secret the log must never hold. Without a config (one that did
 * not load), the default limits and no configured secrets (key-shaped text is still redacted).
 */
export function eventLogOptions(config: Config | null): EventLogOptions {
  const { events } = config?.settings ?? defaultSettings();
  return {
    maxBytes: events.maxBytes,
    maxFiles: events.maxFiles,
    secrets: config ? configSecrets(config) : [],
  };
}
