/** The managed crontab block: pure text functions, every other line kept byte for byte. */
export const BEGIN =
  '# >>> openclaw-watchdog (managed block; remove with: openclaw-watchdog uninstall-cron) >>>';
export const END = '# <<< openclaw-watchdog <<<';

export type Every = '30s' | '1m' | '2m' | '5m';
export const EVERY: readonly Every[] = ['30s', '1m', '2m', '5m'];

/** Quotes one word for /bin/sh, and escapes `%`, which cron turns into a newline. */
export function shellQuote(word: string): string {
  const quoted = /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  return quoted.replace(/%/g, '\\%');
}

/** The command cron runs: absolute node and CLI, the captured environment, no shell tricks. */
export function cronCommand(
  node: string,
  cli: string,
  env: Record<string, string>,
  args: string[],
): string {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...assignments, shellQuote(node), shellQuote(cli), 'check', ...args.map(shellQuote)].join(
    ' ',
  );
}

/** The block for a cadence. Cron's unit is a minute: 30 s is a second entry behind `sleep 30`. */
export function renderBlock(command: string, every: Every): string {
  const lines = [BEGIN];
  if (every === '30s') lines.push(`* * * * * ${command}`, `* * * * * sleep 30; ${command}`);
  else if (every === '1m') lines.push(`* * * * * ${command}`);
  else lines.push(`*/${every.slice(0, -1)} * * * * ${command}`);
  lines.push(END);
  return `${lines.join('\n')}\n`;
}

/** The crontab without the managed block (and nothing else changed). */
export function removeBlock(crontab: string): string {
  const start = crontab.indexOf(`${BEGIN}\n`);
  if (start < 0) return crontab;
  const endAt = crontab.indexOf(`${END}\n`, start);
  if (endAt < 0) return crontab;
  return crontab.slice(0, start) + crontab.slice(endAt + END.length + 1);
}

/** The crontab with the managed block in place of the old one, or appended. */
export function installBlock(crontab: string, block: string): string {
  const start = crontab.indexOf(`${BEGIN}\n`);
  const endAt = start >= 0 ? crontab.indexOf(`${END}\n`, start) : -1;
  if (start >= 0 && endAt >= 0)
    return crontab.slice(0, start) + block + crontab.slice(endAt + END.length + 1);
  const base = crontab === '' || crontab.endsWith('\n') ? crontab : `${crontab}\n`;
  return base + block;
}
