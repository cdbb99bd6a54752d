import type { Alert } from '../alert.js';
import type { AlertSink } from './alert-sink.js';
import { alertPayload } from './alert-payload.js';
import { deliveryOptionsOf, postWithRetry, type HttpSinkSettings } from './http-delivery.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './webhook-signature.js';

export interface WebhookSinkOptions extends HttpSinkSettings {
  readonly name?: string;
  readonly url: string;
  /** HMAC key, already resolved from its env/file reference. */
  readonly secret: string;
}

/** Generic webhook: JSON body signed with HMAC-SHA-256 over `<timestamp>.<body>`. */
export class WebhookSink implements AlertSink {
  readonly name: string;
  readonly #options: WebhookSinkOptions;

  constructor(options: WebhookSinkOptions) {
    this.name = options.name ?? 'webhook';
    this.#options = options;
  }

  async send(alert: Alert): Promise<void> {
    const { url, secret, clock } = this.#options;
    const body = JSON.stringify(alertPayload(alert));
    await postWithRetry(
      url,
      body,
      () => {
        const timestamp = Math.floor(clock.now() / 1000);
        return {
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          'user-agent': 'vigil-alerts/1',
        };
      },
      deliveryOptionsOf(this.#options, this.name),
    );
  }

  /** Keeps the secret out of logs that serialise the sink. */
  toJSON(): object {
    return { name: this.name, type: 'webhook' };
  }
}
