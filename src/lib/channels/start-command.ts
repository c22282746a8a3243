/** `word` for a POSIX shell: as is when plain, else in single quotes. Pure. */
const shellWord = (word: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * The command that starts one channel account again, for a user who fixed what blocked it (a
 * token): OpenClaw 2026.9.6's `openclaw gateway call <method> --params <json>`, with `--profile`
 * when the watchdog watches a profile's gateway. Pure.
 */
export function channelStartCommand(
  channel: string,
  account: string,
  profile: string | null,
): string {
  const params = JSON.stringify({ channel, accountId: account });
  const who = profile ? ` --profile ${shellWord(profile)}` : '';
  return `openclaw${who} gateway call channels.start --params ${shellWord(params)}`;
}
