/** Doctor's start check: a way to start the gateway exists and runs, as cron would use it. */
import type { DoctorFacts, Finding } from './types.js';

export function startPath(f: DoctorFacts): Finding {
  const id = 'gateway.start';
  const s = f.start;
  switch (s.method) {
    case 'command':
      return s.resolved
        ? { id, status: 'ok', message: `restart.command starts the gateway (${s.resolved})` }
        : {
            id,
            status: 'fail',
            message: `restart.command's program ${s.argv0} is not an executable file on the PATH cron has: a crash could not be restarted`,
            fix: `give its absolute path in restart.command in ${f.configFile}`,
          };
    case 'systemd':
      return s.systemctl
        ? {
            id,
            status: 'ok',
            message: `the systemd user unit ${s.unit} starts the gateway (systemctl --user restart)`,
          }
        : {
            id,
            status: 'fail',
            message: `the systemd user unit ${s.unit} is installed, but systemctl is not on the PATH cron has`,
            fix: `set restart.command in ${f.configFile}, or run install-cron again from a shell where systemctl works`,
          };
    case 'openclaw':
      return s.run.ok
        ? {
            id,
            status: 'ok',
            message: `openclaw starts the gateway (${s.path} --version: ${s.run.output})`,
          }
        : {
            id,
            status: 'fail',
            message: `${s.path} --version fails with the PATH cron has: ${s.run.output}`,
            fix: `run install-cron again from a shell where openclaw --version works (OpenClaw needs Node 24), or set restart.openclaw in ${f.configFile}`,
          };
    case 'none':
      return {
        id,
        status: 'fail',
        message: `openclaw not found (looked in ${s.looked}): a crash could not be restarted`,
        fix: `set restart.openclaw (its path) or restart.command in ${f.configFile}, or run install-cron again from a shell where openclaw --version works`,
      };
  }
}
