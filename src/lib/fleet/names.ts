import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import type { Paths } from '../config/paths.js';

/** What a gateway name may hold: a Prometheus label value people type into queries and URLs. */
const SAFE = /[^a-z0-9_-]+/g;

/**
 * The gateway's name in metrics, /health/<gateway> and `status --all`: its profile name;
 * `default` for ~/.openclaw (and the legacy ~/.clawdbot); for another state dir a stable name
 * derived from the dir: its last meaningful path part, and 6 hex digits of a hash of the whole path
 * (two dirs with the same last part differ). Pure: the same paths always give the same name.
 */
export function gatewayName(paths: Pick<Paths, 'home' | 'profile' | 'stateDir'>): string {
  const dir = resolve(paths.stateDir);
  if (paths.profile && dir === join(paths.home, `.openclaw-${paths.profile}`)) return paths.profile;
  if (dir === join(paths.home, '.openclaw') || dir === join(paths.home, '.clawdbot'))
    return 'default';
  const prefixed = /^\.openclaw-([A-Za-z0-9][A-Za-z0-9_-]{0,63})$/.exec(basename(dir));
  if (prefixed && dirname(dir) === paths.home) return prefixed[1]!;
  return derivedName(dir);
}

/** `<last part>-<hash6>`: e.g. /srv/gw/eu1/.openclaw → `eu1-3fa2c1`. Pure. */
export function derivedName(dir: string): string {
  const parts = dir.split('/').filter(Boolean);
  const meaningful = [...parts]
    .reverse()
    .map((p) => p.replace(/^\.+/, '').replace(/^(openclaw|clawdbot)-?/i, ''))
    .find((p) => p.replace(SAFE, '') !== '');
  const stem = (meaningful ?? 'dir')
    .toLowerCase()
    .replace(SAFE, '-')
    .replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 6);
  return `${stem.slice(0, 40) || 'dir'}-${hash}`;
}
