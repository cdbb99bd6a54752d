import type { Alert } from '../alert.js';

/**
 * The one small interface every alert destination implements (STYLE.md habit 4). `send` resolves
 * once the receiver has the alert, and rejects with a `VigilError` (codes in ./errors.ts) otherwise.
 */
export interface AlertSink {
  /** A human name for logs and routing results, e.g. "webhook:soc". Never contains a secret. */
  readonly name: string;
  send(alert: Alert): Promise<void>;
}
