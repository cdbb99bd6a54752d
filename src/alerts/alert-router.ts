import type { AlertSink } from './sinks/alert-sink.js';
import type { Alert } from './alert.js';
import { meetsSeverity, type Severity } from '../detect/severity.js';

export interface AlertRoute {
  readonly sink: AlertSink;
  /** The least severe alert this sink wants (per-sink `minSeverity` config). */
  readonly minSeverity: Severity;
}

export interface DeliveryResult {
  readonly sink: string;
  readonly ok: boolean;
  /** The failure's error code (a sink VigilError code) when not ok. */
  readonly code?: string;
  readonly message?: string;
}

/**
 * Sends each NEW alert to every sink whose minimum severity it meets. Sinks run side by side and
 * one failing sink never keeps the alert from the others; the caller gets one result per sink.
 */
export class AlertRouter {
  readonly #routes: readonly AlertRoute[];

  constructor(routes: readonly AlertRoute[]) {
    this.#routes = routes;
  }

  sinksFor(severity: Severity): AlertSink[] {
    return this.#routes.filter((r) => meetsSeverity(severity, r.minSeverity)).map((r) => r.sink);
  }

  async route(alert: Alert): Promise<DeliveryResult[]> {
    const sinks = this.sinksFor(alert.severity);
    const settled = await Promise.allSettled(sinks.map((sink) => sink.send(alert)));
    return settled.map((outcome, i) => {
      const sink = sinks[i]?.name ?? '?';
      if (outcome.status === 'fulfilled') return { sink, ok: true };
      const reason = outcome.reason as { code?: unknown; message?: unknown };
      return {
        sink,
        ok: false,
        ...(typeof reason.code === 'string' ? { code: reason.code } : {}),
        message: typeof reason.message === 'string' ? reason.message : String(outcome.reason),
      };
    });
  }
}
