/** The one-hot `openclaw_watchdog_gateway_state{state}`: every state, one of them 1. */
export const GATEWAY_STATES = [
  'healthy',
  'starting',
  'degraded',
  'down',
  'hung',
  'paused',
  'stopped',
  'updating',
  'safe_mode',
  'maintenance',
] as const;

export type GatewayState = (typeof GATEWAY_STATES)[number];

/** OpenClaw's own lifecycle statuses a check may save (issue 19): they win over the probe. */
const LIFECYCLE: Record<string, GatewayState> = {
  safe_mode: 'safe_mode',
  'safe-mode': 'safe_mode',
  updating: 'updating',
  maintenance: 'maintenance',
};

/** Probe verdicts and check statuses, each to its gateway state. */
const BY_VERDICT: Record<string, GatewayState> = {
  healthy: 'healthy',
  degraded: 'degraded',
  starting: 'starting',
  unresponsive: 'hung',
  hung: 'hung',
  refused: 'down',
  down: 'down',
  'not-openclaw': 'down',
  'port-conflict': 'down',
  deferred: 'down',
  stopped: 'stopped',
};

export interface StateInput {
  /** The probe's verdict now (serve) or at the last check (the check's textfile). */
  verdict: string;
  /** The status the last check saved (state.lastVerdict). */
  saved: string | null;
  paused: boolean;
  /** Down because the user stopped it (not restarted). */
  stoppedByUser: boolean;
  /** Healthy on the port, but a signal the watchdog acts on is bad (memory ceiling, a channel). */
  degraded: boolean;
  /** OpenClaw's crash-loop breaker holds the channels: the last check saw safe mode, `/readyz`
   * names suppressed channels, or the boot ledger says it tripped (openclaw/boot-ledger.ts). */
  breakerTripped?: boolean;
}

/**
 * Pure. A pause wins (the watchdog leaves the gateway alone); then OpenClaw's own lifecycle as the
 * last check saw it (safe mode, an update, maintenance); then a stop by the user; then a running
 * gateway whose boot ledger says the breaker tripped (safe mode); then the probe, a healthy
 * gateway with a bad signal being `degraded`.
 */
export function gatewayState(input: StateInput): GatewayState {
  if (input.paused) return 'paused';
  const lifecycle = input.saved !== null ? LIFECYCLE[input.saved] : undefined;
  if (lifecycle) return lifecycle;
  const live = LIFECYCLE[input.verdict] ?? BY_VERDICT[input.verdict] ?? 'down';
  if (live !== 'healthy' && input.stoppedByUser) return 'stopped';
  // safe mode is a gateway that runs (a tripped ledger of a gateway that is gone is just down)
  if (input.breakerTripped && (live === 'healthy' || live === 'starting')) return 'safe_mode';
  if (live === 'healthy' && input.degraded) return 'degraded';
  return live;
}
