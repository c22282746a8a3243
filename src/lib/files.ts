import { join } from 'node:path';
import type { Config } from './config/load.js';
import { configSecrets } from './config/secrets.js';
import type { EventLogOptions } from './store/events.js';

/** The watchdog's files, all under `<state dir>/watchdog/`. */
export function watchdogFiles(config: Config) {
  const dir = config.paths.watchdogDir;
  return {
    dir,
    state: join(dir, 'state.json'),
    events: join(dir, 'events.jsonl'),
    gatewayLog: join(dir, 'gateway.log'),
  };
}

/** Event log settings, with every secret the log must never hold. */
export function eventLogOptions(config: Config): EventLogOptions {
  const { settings } = config;
  return {
    maxBytes: settings.events.maxBytes,
    maxFiles: settings.events.maxFiles,
    secrets: configSecrets(config),
  };
}
