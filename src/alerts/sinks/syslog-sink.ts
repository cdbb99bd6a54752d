import { hostname } from 'node:os';
import type { Alert } from '../alert.js';
import type { AlertSink } from './alert-sink.js';
import { syslogMessage, type SyslogFormat } from './syslog-message.js';
import { sendSyslog, type SyslogEndpoint } from './syslog-transport.js';

export interface SyslogSinkOptions {
  readonly name?: string;
  readonly endpoint: SyslogEndpoint;
  readonly format?: Partial<SyslogFormat>;
}

/** Syslog RFC 5424 over UDP (RFC 5426), TCP (RFC 6587) or TLS (RFC 5425), optionally with CEF. */
export class SyslogSink implements AlertSink {
  readonly name: string;
  readonly #endpoint: SyslogEndpoint;
  readonly #format: SyslogFormat;

  constructor(options: SyslogSinkOptions) {
    this.name = options.name ?? `syslog-${options.endpoint.protocol}`;
    this.#endpoint = options.endpoint;
    this.#format = {
      facility: 10, // authpriv: security/authorization messages (RFC 5424 §6.2.1)
      hostname: hostname(),
      appName: 'vigil',
      ...options.format,
    };
  }

  send(alert: Alert): Promise<void> {
    return sendSyslog(this.#endpoint, [syslogMessage(alert, this.#format)]);
  }
}
