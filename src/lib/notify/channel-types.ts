import type { EventName, WatchdogEvent } from '../store/event-types.js';

/** One alert: one event, as every channel and every retry sends it. */
export interface Alert {
  /** Unique per alert, the same through every channel and every retry: receivers drop duplicates by it. */
  id: string;
  /** Already redacted: channels send it as it is. */
  event: WatchdogEvent;
  /** When it happened (epoch ms). */
  at: number;
  /** Set when a later check than the one that raised it delivers it: when it was sent. */
  late?: { sentAt: number };
}

/** One destination for alerts. */
export interface Channel {
  /** `webhook`, `ntfy`, `telegram`, `command` */
  kind: string;
  /** Stable across checks and safe to store (a hash, never a secret): the outbox keys on it. */
  key: string;
  /** Safe to print and log: the kind and host only, never a secret. */
  label: string;
  wants(name: EventName): boolean;
  /** Its own timeout for one alert, when it has one (a command's); else notify.timeoutMs. */
  timeoutMs?: number;
  /** Delivers one alert within `timeoutMs`: null when delivered, else the reason (no secrets). */
  send(alert: Alert, timeoutMs: number): Promise<string | null>;
}
