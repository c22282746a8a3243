/** One verdict per probe (how each is reached: verdict.ts). */
export type Verdict = 'healthy' | 'starting' | 'unresponsive' | 'refused' | 'not-openclaw';

/** How one network step ended. `connected`: the TCP connection was accepted. */
export type StepError = 'refused' | 'timeout' | 'reset' | 'protocol' | 'other';

export interface HttpStep {
  path: string;
  connected: boolean;
  ms: number;
  status?: number;
  body?: unknown;
  error?: StepError;
}

export interface WsStep {
  connected: boolean;
  ms: number;
  /** The server completed the WebSocket upgrade. */
  upgraded: boolean;
  /** The server sent OpenClaw's `connect.challenge` event. */
  challenge: boolean;
  /** HTTP status when the server refused the upgrade. */
  status?: number;
  error?: StepError;
  /** How the `connect` after the challenge ended: `hello-ok`, the gateway's error code, TIMEOUT. */
  connect?: string;
}

export interface ChannelState {
  id: string;
  running: boolean | null;
  connected: boolean | null;
  state: string | null;
  lastError: string | null;
}

export interface DeepStep {
  ms: number;
  ok: boolean;
  /** Gateway error code, e.g. UNAVAILABLE while starting, AUTH_TOKEN_MISMATCH. */
  code?: string;
  message?: string;
  version?: string;
  channels?: ChannelState[];
}

export interface ProbeSteps {
  healthz?: HttpStep;
  startupz?: HttpStep;
  readyz?: HttpStep;
  ws?: WsStep;
  deep?: DeepStep;
}

export interface ProbeResult {
  verdict: Verdict;
  host: string;
  port: number;
  ms: number;
  /** `/startupz` status: started, starting, draining; null where the gateway has no such probe. */
  startup: string | null;
  /** `/readyz` ready flag, and what fails; null where unknown. */
  ready: boolean | null;
  failing: string[];
  /** `/readyz` `suppressed`: channels whose accounts OpenClaw's crash-loop breaker keeps from
   * starting (its safe mode, §11.1); empty when absent. */
  suppressed?: string[];
  /** `/readyz` event-loop block: diagnostic only, never a reason to restart. */
  eventLoop: Record<string, unknown> | null;
  version: string | null;
  reason: string;
  steps: ProbeSteps;
}
