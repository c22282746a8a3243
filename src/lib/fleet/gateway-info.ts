import type { Config } from '../config/load.js';
import { findUnit } from '../restart/systemd.js';

/** How the watchdog starts the gateway, as restart/index.ts picks it: the info metric's label. */
export function serviceManager(config: Config): 'command' | 'systemd' | 'openclaw' {
  if (config.settings.restart.command) return 'command';
  return findUnit(config.paths.home, config.env, config.paths.profile) ? 'systemd' : 'openclaw';
}
