import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function unitName(profile: string | null): string {
  return profile ? `openclaw-gateway-${profile}.service` : 'openclaw-gateway.service';
}

/** The gateway's systemd user unit file, when OpenClaw installed one. */
export function findUnit(
  home: string,
  env: NodeJS.ProcessEnv,
  profile: string | null,
): string | null {
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  const name = unitName(profile);
  return existsSync(join(configHome, 'systemd', 'user', name)) ? name : null;
}

export interface CommandResult {
  code: number | null;
  output: string;
}

export function systemctl(args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      'systemctl',
      ['--user', ...args],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/** `systemctl --user restart`, after `reset-failed` when the unit hit its start limit or failed. */
export async function restartUnit(unit: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const show = await systemctl(['show', unit, '--property=ActiveState,Result'], env);
  if (/Result=start-limit-hit|ActiveState=failed/.test(show.output)) {
    await systemctl(['reset-failed', unit], env);
  }
  return systemctl(['restart', unit], env);
}
