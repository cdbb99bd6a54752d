import { createTransport, type Transporter } from 'nodemailer';
import type { Alert } from '../alert.js';
import { VigilError } from '../../core/vigil-error.js';
import type { AlertSink } from './alert-sink.js';
import { alertHeadline, otherReasons } from './alert-payload.js';
import type { SinkErrorCode } from './errors.js';

export interface EmailSinkOptions {
  readonly name?: string;
  readonly host: string;
  readonly port: number;
  /** `tls`: implicit TLS (port 465); `starttls`: upgrade required (RFC 3207); `none`: plain, loopback only. */
  readonly security: 'tls' | 'starttls' | 'none';
  readonly from: string;
  readonly to: readonly string[];
  /** Password already resolved from its env/file reference. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** PEM CA bundle for a private mail relay; system CAs otherwise. */
  readonly ca?: string | Buffer;
  readonly timeoutMs?: number;
}

export function emailText(alert: Alert): string {
  return [
    alertHeadline(alert),
    '',
    alert.description,
    ...otherReasons(alert),
    '',
    `Rule:       ${alert.ruleId}`,
    `Severity:   ${alert.severity}`,
    `Alert:      ${alert.id} (seen ${alert.count}×, status ${alert.status})`,
    `First seen: ${new Date(alert.firstSeenMs).toISOString()}`,
    `Last seen:  ${new Date(alert.lastSeenMs).toISOString()}`,
    `Entity:     ${alert.entity.type} ${alert.entity.id}${alert.entity.display ? ` (${alert.entity.display})` : ''}`,
    `Events:     ${alert.eventIds.join(', ')}`,
    '',
    `Acknowledge: vigil alerts ack ${alert.id}`,
  ].join('\n');
}

export class EmailSink implements AlertSink {
  readonly name: string;
  readonly #options: EmailSinkOptions;
  readonly #transport: Transporter;

  constructor(options: EmailSinkOptions) {
    this.name = options.name ?? 'email';
    this.#options = options;
    const timeout = options.timeoutMs ?? 15_000;
    this.#transport = createTransport({
      host: options.host,
      port: options.port,
      secure: options.security === 'tls',
      requireTLS: options.security === 'starttls',
      ignoreTLS: options.security === 'none',
      ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
      ...(options.ca ? { tls: { ca: options.ca } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      logger: false,
    });
  }

  async send(alert: Alert): Promise<void> {
    try {
      await this.#transport.sendMail({
        from: this.#options.from,
        to: [...this.#options.to],
        subject: `Vigil: ${alertHeadline(alert)}`,
        text: emailText(alert),
        headers: { 'X-Vigil-Alert-Id': alert.id, 'X-Vigil-Severity': alert.severity },
      });
    } catch (cause) {
      const permanent =
        typeof (cause as { responseCode?: unknown }).responseCode === 'number' &&
        (cause as { responseCode: number }).responseCode >= 500;
      throw new VigilError<SinkErrorCode>(
        permanent ? 'SINK_REJECTED' : 'SINK_DELIVERY_FAILED',
        `${this.name}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { category: 'external', cause },
      );
    }
  }

  close(): void {
    this.#transport.close();
  }
}
