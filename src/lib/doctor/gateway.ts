/** Doctor's gateway checks: does it answer (and what the probe saw), is its token known. */
import type { DoctorFacts, Finding } from './types.js';

/** What the probe saw, in the words `probe` uses. */
function seen(f: DoctorFacts): string {
  const p = f.probe;
  const extra = [
    p.version && `v${p.version}`,
    p.ready === false && `not ready: ${p.failing.join(', ')}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${p.host}:${p.port}: ${p.reason}, ${p.ms} ms${extra ? `; ${extra}` : ''}`;
}

export function gatewayAnswers(f: DoctorFacts): Finding {
  const id = 'gateway.answers';
  const v = f.probe.verdict;
  if (v === 'healthy') return { id, status: 'ok', message: `gateway answers on ${seen(f)}` };
  if (v === 'starting')
    return {
      id,
      status: 'warn',
      message: `gateway is starting on ${seen(f)}`,
      fix: 'wait for it (the checks never kill a starting gateway); run openclaw-watchdog doctor again in a minute',
    };
  if (f.stoppedByUser)
    return {
      id,
      status: 'warn',
      message: `gateway stopped by the user (openclaw gateway stop / systemctl --user stop); ${seen(f)}`,
      fix: 'start it when you want it back: openclaw gateway start (the watchdog then supervises it again)',
    };
  if (f.paused)
    return {
      id,
      status: 'warn',
      message: `gateway does not answer (${seen(f)}); the watchdog is paused until ${new Date(f.paused.until).toISOString()}`,
      fix: 'openclaw-watchdog resume',
    };
  if (v === 'not-openclaw')
    return {
      id,
      status: 'fail',
      message: `something that is not an OpenClaw gateway holds the port (${seen(f)})`,
      fix: `find it: ss -ltnp 'sport = :${f.probe.port}'; stop it, or give the gateway another port (gateway.port in ${f.openclawConfig})`,
    };
  return {
    id,
    status: 'fail',
    message: `gateway does not answer (${v}) on ${seen(f)}`,
    fix: 'openclaw-watchdog check starts it (or says why it cannot); then openclaw-watchdog events',
  };
}

/** The gateway token: without it the probe cannot `connect`, and two signals are off. */
export function gatewayToken(f: DoctorFacts): Finding {
  const id = 'gateway.token';
  const connect = f.probe.steps.ws?.connect;
  if (connect === 'AUTH_TOKEN_MISMATCH')
    return {
      id,
      status: 'fail',
      message: `the gateway refuses the token (${f.token.source ?? 'configured'}): AUTH_TOKEN_MISMATCH; channel checks and the in-place memory restart fail, and each probe leaves two warnings in the gateway's log`,
      fix: `use the gateway's own token: gateway.auth.token in ${f.openclawConfig} (or gateway.token in ${f.configFile})`,
    };
  if (f.token.known)
    return { id, status: 'ok', message: `gateway token known (from ${f.token.source ?? '?'})` };
  if (f.token.authMode === 'none')
    return { id, status: 'ok', message: 'gateway auth mode none: no token needed' };
  return {
    id,
    status: 'warn',
    message:
      "the gateway token is not known, so channel checks (channels.status) and the in-place memory restart (gateway.restart.request) are off, and each probe leaves a warning in the gateway's log",
    fix: `set gateway.auth.token in ${f.openclawConfig} (or gateway.token in ${f.configFile}, or OPENCLAW_GATEWAY_TOKEN)`,
  };
}
