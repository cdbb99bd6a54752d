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

/** A failure as the outbox records and logs it: code and message, never the sink's address. */
export function failureOf(sink: string, error: unknown): DeliveryResult {
  const reason = (error ?? {}) as { code?: unknown; message?: unknown };
  return {
    sink,
    ok: false,
    ...(typeof reason.code === 'string' ? { code: reason.code } : {}),
    message: typeof reason.message === 'string' ? reason.message : String(error),
  };
}

/** Which sinks an alert goes to: every sink whose minimum severity it meets. */
export class AlertRouter {
  readonly #routes: readonly AlertRoute[];

  constructor(routes: readonly AlertRoute[]) {
    this.#routes = routes;
  }

  sinksFor(severity: Severity): AlertSink[] {
    return this.#routes.filter((r) => meetsSeverity(severity, r.minSeverity)).map((r) => r.sink);
  }

  /** The configured sink of that name (a queued delivery's), if it is still configured. */
  sink(name: string): AlertSink | undefined {
    return this.#routes.find((r) => r.sink.name === name)?.sink;
  }

  /**
   * Sends one alert to every sink now, side by side, whatever its severity (`vigil alerts test`);
   * one failing sink never keeps it from the others. One result per sink.
   */
  async sendToEach(alert: Alert): Promise<DeliveryResult[]> {
    const sinks = this.#routes.map((r) => r.sink);
    const settled = await Promise.allSettled(sinks.map((sink) => sink.send(alert)));
    return settled.map((outcome, i) => {
      const sink = sinks[i]?.name ?? '?';
      return outcome.status === 'fulfilled' ? { sink, ok: true } : failureOf(sink, outcome.reason);
    });
  }
}
