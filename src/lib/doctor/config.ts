/** Doctor's config check: the watchdog's settings load. */
import type { DoctorFacts, Finding } from './types.js';

export function configValid(f: DoctorFacts): Finding {
  const id = 'config';
  if (f.configError === null)
    return { id, status: 'ok', message: `config valid (${f.configFile})` };
  return {
    id,
    status: 'fail',
    message: `config invalid: ${f.configError}; every check stops at it (exit 2) and the gateway is not watched (the rest of this report uses the defaults)`,
    fix: `fix that key in ${f.configFile} (docs/configuration.md lists every key)`,
  };
}
